using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace KSync.Lab;

/// <summary>
/// <c>ksync-lab up</c> / <c>down</c> / <c>fault</c>: the lab cluster as a command for the demo, scripts and people.
/// <c>up</c> prints the kubeconfig path and runs until Ctrl-C or <c>down</c>; with <c>--detach</c> it starts itself in
/// the background, waits until the lab is ready, prints the kubeconfig path and returns, leaving <c>lab.pid</c> in the
/// state folder. The state folder also holds <c>docker-host</c> (lab-node-1's Docker endpoint, for <c>docker -H</c>)
/// and <c>control.sock</c>, through which <c>ksync-lab fault api-down|kill-agent|cut-forwards|reboot</c> disturb the
/// running lab (see <see cref="LabControl"/>).
/// </summary>
internal static class LabCommand
{
    private const string PidFile = "lab.pid";
    private const string ReadyFile = "ready";
    private const string DockerHostFile = "docker-host";
    private const string ControlSocket = "control.sock";

    /// <summary>Runs the command line.</summary>
    /// <param name="args">Arguments.</param>
    /// <returns>Exit code.</returns>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var state = new Option<string>("--state") { Description = "State folder (kubeconfig, lab.pid, logs)", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "ksync-lab") };
        var nodes = new Option<int>("--nodes") { Description = "Number of nodes", DefaultValueFactory = _ => 2 };
        var detach = new Option<bool>("--detach", "-d") { Description = "Start in the background and return once the lab is ready" };
        var up = new Command("up", "Start the lab cluster and print its kubeconfig path") { state, nodes, detach };
        up.SetAction((parse, token) => UpAsync(parse.GetRequiredValue(state), parse.GetValue(nodes), parse.GetValue(detach), token));
        var down = new Command("down", "Stop a lab started with up --detach") { state };
        down.SetAction((parse, token) => DownAsync(parse.GetRequiredValue(state), token));
        var seconds = new Option<int>("--seconds") { Description = "How long the API server stays down", Required = true };
        var node = new Option<string>("--node") { Description = "The node (lab-node-1, lab-node-2, ...)", Required = true };
        var fault = new Command("fault", "Disturb a running lab (started with up) from outside")
        {
            FaultCommand("api-down", "Stop the API server for --seconds N, then start it again (watches and port-forwards break)", state, seconds, p => $"/faults/api-down?seconds={p.GetValue(seconds)}"),
            FaultCommand("kill-agent", "Kill the node agent's containers on --node (the kubelet restarts them; restartCount goes up)", state, node, p => $"/faults/kill-agent?node={Uri.EscapeDataString(p.GetRequiredValue(node))}"),
            FaultCommand("cut-forwards", "Cut every open port-forward stream to pods on --node", state, node, p => $"/faults/cut-forwards?node={Uri.EscapeDataString(p.GetRequiredValue(node))}"),
            FaultCommand("reboot", "Reboot --node: all its pods get new sandboxes and containers (new container IDs)", state, node, p => $"/faults/reboot?node={Uri.EscapeDataString(p.GetRequiredValue(node))}"),
        };
        var root = new RootCommand("ksync-lab: a Kubernetes lab cluster for ksync (test API server, Docker and containerd nodes, the node agent as containers)") { up, down, fault };
        // Stopping takes longer than System.CommandLine's default 2 s grace on SIGTERM (containers, engine).
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static async Task<int> UpAsync(string state, int nodes, bool detach, CancellationToken cancellationToken)
    {
        state = Path.GetFullPath(state);
        if (File.Exists(Path.Combine(state, PidFile)) && IsAlive(File.ReadAllText(Path.Combine(state, PidFile))))
        {
            await Console.Error.WriteLineAsync($"ksync-lab: a lab already runs with state folder {state}; run 'ksync-lab down --state {state}' first.");
            return 1;
        }

        Directory.CreateDirectory(state);
        File.Delete(Path.Combine(state, ReadyFile));
        if (detach)
        {
            return await DetachAsync(state, nodes, cancellationToken);
        }

        var options = new LabOptions
        {
            NodeCount = nodes,
            TaintedNodes = nodes > 1 ? [$"lab-node-{nodes}"] : [],
            RootDirectory = Path.Combine(state, "lab"),
        };
        await using var lab = await LabCluster.StartAsync(options, cancellationToken);
        await using var control = await LabControl.StartAsync(lab, Path.Combine(state, ControlSocket), cancellationToken);
        File.Copy(lab.KubeconfigPath, Path.Combine(state, "kubeconfig"), overwrite: true);
        await File.WriteAllTextAsync(Path.Combine(state, DockerHostFile), lab.Engine.Endpoint, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(state, PidFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(state, ReadyFile), lab.ServerUrl, cancellationToken);
        Console.WriteLine(Path.Combine(state, "kubeconfig"));
        await Console.Error.WriteLineAsync($"ksync-lab: API server {lab.ServerUrl}, nodes {string.Join(", ", lab.Nodes.Select(n => $"{n.Name} ({n.Runtime})"))}, lab-node-1's containers in DOCKER_HOST={lab.Engine.Endpoint}; Ctrl-C or 'ksync-lab down' stops it.");
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
        using var registration = cancellationToken.Register(() => stopped.TrySetResult());
        await stopped.Task;
        File.Delete(Path.Combine(state, ControlSocket));
        File.Delete(Path.Combine(state, ReadyFile));
        File.Delete(Path.Combine(state, PidFile));
        return 0;
    }

    private static async Task<int> DetachAsync(string state, int nodes, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find the ksync-lab executable.");
        var info = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };

        // Run detached from this terminal, output to the state folder's log.
        var entry = typeof(LabCommand).Assembly.Location;
        var launch = self.EndsWith("dotnet", StringComparison.Ordinal) ? $"'{self}' '{entry}'" : $"'{self}'";
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec {launch} up --state '{state}' --nodes {nodes} >'{state}/up.log' 2>&1 </dev/null");
        using var child = Process.Start(info) ?? throw new InvalidOperationException("Could not start the lab in the background.");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!File.Exists(Path.Combine(state, ReadyFile)))
        {
            if (DateTime.UtcNow > deadline || (child.HasExited && child.ExitCode != 0))
            {
                await Console.Error.WriteLineAsync($"ksync-lab: the lab did not come up; see {state}/up.log");
                return 1;
            }

            await Task.Delay(200, cancellationToken);
        }

        Console.WriteLine(Path.Combine(state, "kubeconfig"));
        return 0;
    }

    private static async Task<int> DownAsync(string state, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(Path.GetFullPath(state), PidFile);
        if (!File.Exists(pidFile))
        {
            await Console.Error.WriteLineAsync($"ksync-lab: no lab runs with state folder {state} (no {PidFile}).");
            return 0;
        }

        var text = (await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim();
        if (!IsAlive(text))
        {
            File.Delete(pidFile);
            await Console.Error.WriteLineAsync($"ksync-lab: the lab (pid {text}) is not running; removed its stale {PidFile}.");
            return 0;
        }

        using var process = Process.GetProcessById(int.Parse(text, CultureInfo.InvariantCulture));
        using (Process.Start("kill", ["-TERM", text]))
        {
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await Console.Error.WriteLineAsync("ksync-lab: stopped.");
        return 0;
    }

    private static Command FaultCommand(string name, string description, Option<string> state, Option option, Func<ParseResult, string> route)
    {
        var command = new Command(name, description) { state, option };
        command.SetAction(async (parse, token) =>
        {
            var socket = Path.Combine(Path.GetFullPath(parse.GetRequiredValue(state)), ControlSocket);
            if (!File.Exists(socket))
            {
                await Console.Error.WriteLineAsync($"ksync-lab: no lab runs with state folder {parse.GetRequiredValue(state)} (no {ControlSocket}); start one with 'ksync-lab up --detach --state DIR'.");
                return 1;
            }

            (bool Ok, string Text) answer;
            try
            {
                answer = await LabControl.PostAsync(socket, route(parse), token);
            }
            catch (HttpRequestException ex)
            {
                await Console.Error.WriteLineAsync($"ksync-lab: no lab runs with state folder {parse.GetRequiredValue(state)} ({ControlSocket} does not answer: {ex.Message}).");
                return 1;
            }

            var (ok, text) = answer;
            await (ok ? Console.Out : Console.Error).WriteAsync(ok ? text : "ksync-lab: " + text);
            return ok ? 0 : 1;
        });
        return command;
    }

    private static bool IsAlive(string pidText)
    {
        if (!int.TryParse(pidText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        // Only a ksync-lab process counts (pids are reused).
        var cmdline = $"/proc/{pid}/cmdline";
        return File.Exists(cmdline) && File.ReadAllText(cmdline).Contains("ksync-lab", StringComparison.Ordinal);
    }
}
