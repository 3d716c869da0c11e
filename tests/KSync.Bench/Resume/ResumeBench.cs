using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using KSync.TestKit;

namespace KSync.Bench.Resume;

/// <summary>
/// <c>resume</c>: resume figures on the lab through the published plugin (docs/architecture.md, "The resume rule"). One
/// pod on the lab's Docker node, a 10,000-file spec, watch running; then: the node agent pod deleted → new agent Ready →
/// a 1 KB local edit visible in the container (ms) and the bytes the local syncthing exchanged meanwhile
/// (<c>/rest/system/connections</c> totals); watch stopped and started → the spec <c>watching</c>; the same with 10
/// specs → all <c>watching</c>. Floors, same run: the edit's latency and bytes with the link up; watch's status server
/// answering after its start.
/// </summary>
internal sealed class ResumeBench : IBenchMode
{
    private const string Pod = "bench-resume";
    private const int Specs = 10;
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(5);
    private string _plugin = string.Empty;
    private string _kubeconfig = string.Empty;
    private string _home = string.Empty;
    private string _root = string.Empty;
    private int _port;
    private Process? _watch;
    private CancellationToken _cancel;
    private readonly Lock _logLock = new();
    private string? _watchLog;

    /// <inheritdoc/>
    public string Name => "resume";

    /// <inheritdoc/>
    public string Description => "on the lab: agent deleted → edit visible and bytes re-sent; watch restart → watching; 10 specs (--files N, --watch-log FILE)";

    /// <inheritdoc/>
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        _cancel = cancellationToken;
        var files = 10_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--files":
                    files = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--watch-log":
                    // Every watch's stderr at debug level, appended: where a restart's time goes.
                    _watchLog = Path.GetFullPath(args[i + 1]);
                    break;
                default:
                    throw new ArgumentException($"resume bench: unknown argument '{args[i]}' (--files N, --watch-log FILE)");
            }
        }

        using var root = new TempDirectory("ksync-bench-resume");
        _root = root.Path;
        var state = root.Combine("lab");
        var labDll = Path.Combine(Repository.Root, "tests", "KSync.Lab", "bin", "Release", "net10.0", "ksync-lab.dll");
        (await ProcessRunner.RunAsync("dotnet", [labDll, "up", "--detach", "--state", state], timeout: TimeSpan.FromMinutes(5), cancellationToken: cancellationToken)).EnsureSuccess();
        try
        {
            _kubeconfig = Path.Combine(state, "kubeconfig");
            _plugin = await Binaries.PluginAsync(cancellationToken);
            _home = root.Combine("home");
            Directory.CreateDirectory(_home);
            _port = FreePort.Next();
            await PluginAsync("init", "--remote", "--timeout", "120s");
            var node = (await KubectlAsync("get", "nodes", "-l", "lab.ksync.dev/runtime=docker", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
            await KubectlInAsync(PodYaml(node), "create", "--validate=false", "-f", "-");
            await KubectlAsync("wait", "--for=condition=Ready", $"pod/{Pod}", "--timeout=120s");

            var local = Folder("resume");
            for (var i = 0; i < files; i++)
            {
                var dir = Path.Combine(local, $"d{i / 100:000}");
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, $"f{i % 100:00}.txt"), $"file {i}\n");
            }

            await PluginAsync("create", local, "/app", "-l", $"app={Pod}", "--name", "resume", "--reload-mode", "none");
            var firstSync = Stopwatch.StartNew();
            await StartWatchAsync();
            await WaitAsync(() => AllWatchingAsync(1), "the first sync");
            output.WriteLine($"resume bench: {files:N0} files, lab Docker node {node}; first sync → watching {firstSync.Elapsed.TotalSeconds:F1} s");

            var app = $"/proc/{await ContainerPidAsync(state)}/root/app";
            var (floorMs, floorBytes) = await EditAsync(local, app, "edit-floor.txt");

            // The node agent pod deleted: the DaemonSet makes a new one; the edit is saved as soon as it is Ready.
            var agent = await AgentOnAsync(node) ?? throw new InvalidOperationException($"no agent pod on {node}");
            var before = await BytesAsync();
            await KubectlAsync("delete", "pod", "-n", "ksync", agent, "--wait=false");
            await WaitAsync(async () => await AgentOnAsync(node, ready: true) is { } fresh && fresh != agent, "the new agent to be Ready");
            var (agentMs, _) = await EditAsync(local, app, "edit-agent.txt");
            await WaitAsync(() => AllWatchingAsync(1), "watching after the agent was replaced");
            var agentBytes = await BytesAsync() - before;

            output.WriteLine();
            output.WriteLine("| measure | ksync | floor |");
            output.WriteLine("|---|---|---|");
            output.WriteLine($"| agent pod deleted → new agent Ready → 1 KB edit visible in the container | {agentMs:F0} ms | {floorMs:F0} ms (edit with the link up) |");
            output.WriteLine($"| bytes exchanged by the local syncthing, agent deleted until watching again (edit included) | {agentBytes:N0} B | {floorBytes:N0} B (the edit with the link up); all files {files:N0} × ~10 B of content |");

            var (restart1, answer1) = await RestartWatchAsync(1);
            output.WriteLine($"| watch stopped and started, 1 spec → watching | {restart1:F0} ms | {answer1:F0} ms (status server answering) |");

            for (var s = 1; s < Specs; s++)
            {
                var folder = Folder($"spec{s}");
                File.WriteAllText(Path.Combine(folder, "a.txt"), $"spec {s}\n");
                await PluginAsync("create", folder, $"/s{s}", "-l", $"app={Pod}", "--name", $"spec{s}", "--reload-mode", "none");
            }

            await WaitAsync(() => AllWatchingAsync(Specs), "10 specs watching");
            var (restart10, answer10) = await RestartWatchAsync(Specs);
            output.WriteLine($"| watch stopped and started, {Specs} specs → all watching | {restart10:F0} ms | {answer10:F0} ms (status server answering) |");
            return 0;
        }
        finally
        {
            await StopWatchAsync();
            await ProcessRunner.RunAsync("dotnet", [labDll, "down", "--state", state], timeout: TimeSpan.FromMinutes(2), cancellationToken: CancellationToken.None);
        }
    }

    private static string PodYaml(string node) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{Pod}}
          labels: {app: {{Pod}}}
        spec:
          nodeSelector: {kubernetes.io/hostname: {{node}}}
          tolerations: [{key: lab.ksync.dev/dedicated, operator: Exists}]
          terminationGracePeriodSeconds: 0
          containers:
          - name: app
            image: busybox:latest
            imagePullPolicy: IfNotPresent
            command: [sh, -c, "trap 'exit 0' TERM; mkdir -p /app{{string.Concat(Enumerable.Range(1, Specs - 1).Select(s => $" /s{s}"))}}; while true; do sleep 1; done"]
        """;

    private string Folder(string name)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    // Saves a 1 KB file locally and returns the ms until the container has it, and the bytes the local syncthing
    // exchanged meanwhile (in + out).
    private async Task<(double Ms, long Bytes)> EditAsync(string local, string app, string name)
    {
        var content = new string('x', 1023) + "\n";
        var before = await BytesAsync();
        var watch = Stopwatch.StartNew();
        await File.WriteAllTextAsync(Path.Combine(local, name), content, _cancel);
        var target = Path.Combine(app, name);
        while (!(File.Exists(target) && await File.ReadAllTextAsync(target, _cancel) == content))
        {
            if (watch.Elapsed > WaitTimeout)
            {
                throw new TimeoutException($"{name} never reached the container");
            }

            await Task.Delay(5, _cancel);
        }

        var ms = watch.Elapsed.TotalMilliseconds;
        await Task.Delay(500, _cancel); // the index update that follows the file
        return (ms, await BytesAsync() - before);
    }

    private async Task<(double Watching, double Answering)> RestartWatchAsync(int specs)
    {
        await StopWatchAsync();
        var watch = Stopwatch.StartNew();
        await StartWatchAsync();
        var answering = watch.Elapsed.TotalMilliseconds;
        await WaitAsync(() => AllWatchingAsync(specs), $"{specs} spec(s) watching after the restart", 20);
        return (watch.Elapsed.TotalMilliseconds, answering);
    }

    private async Task StartWatchAsync()
    {
        var info = new ProcessStartInfo(_plugin) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in _watchLog is null ? ["watch", "--port", _port.ToString(CultureInfo.InvariantCulture)] : new[] { "watch", "--port", _port.ToString(CultureInfo.InvariantCulture), "--log-level", "debug" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment())
        {
            info.Environment[key] = value;
        }

        _watch = Process.Start(info) ?? throw new InvalidOperationException("watch did not start");
        _watch.OutputDataReceived += (_, _) => { };
        var log = _watchLog;
        if (log is not null)
        {
            File.AppendAllText(log, $"---- {DateTime.Now:HH:mm:ss.fff} watch started\n");
        }

        _watch.ErrorDataReceived += (_, line) =>
        {
            if (log is not null && line.Data is not null)
            {
                lock (_logLock)
                {
                    File.AppendAllText(log, line.Data + "\n");
                }
            }
        };
        _watch.BeginOutputReadLine();
        _watch.BeginErrorReadLine();
        await WaitAsync(async () => (await GetAsync()) is not null, "watch's status server to answer", 20);
    }

    private async Task StopWatchAsync()
    {
        if (_watch is { HasExited: false })
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", _watch.Id.ToString(CultureInfo.InvariantCulture)], cancellationToken: CancellationToken.None);
            await _watch.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        _watch?.Dispose();
        _watch = null;
    }

    private async Task<bool> AllWatchingAsync(int specs)
    {
        if (await GetAsync() is not { } root)
        {
            return false;
        }

        var items = root.GetProperty("items").EnumerateArray().ToList();
        return items.Count == specs && items.All(i => i.GetProperty("services").EnumerateArray().ToList() is [var service]
            && service.GetProperty("status").GetString() == "watching" && service.GetProperty("initialSyncPercent").GetDouble() >= 100);
    }

    private async Task<JsonElement?> GetAsync()
    {
        var result = await ProcessRunner.RunAsync(_plugin, ["get", "-o", "json", "--port", _port.ToString(CultureInfo.InvariantCulture)], Environment(), cancellationToken: _cancel);
        if (result.ExitCode != 0)
        {
            return null;
        }

        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.GetProperty("watching").GetBoolean() ? document.RootElement.Clone() : null;
    }

    // In + out bytes of the local syncthing since it started (syncthing REST: GET /rest/system/connections, "total").
    private async Task<long> BytesAsync()
    {
        var config = XDocument.Load(Path.Combine(_home, "syncthing", "config.xml")).Root!.Element("gui")!;
        using var http = new HttpClient { BaseAddress = new Uri($"http://{config.Element("address")!.Value}/") };
        http.DefaultRequestHeaders.Add("X-API-Key", config.Element("apikey")!.Value);
        using var document = JsonDocument.Parse(await http.GetStringAsync("rest/system/connections", _cancel));
        var total = document.RootElement.GetProperty("total");
        return total.GetProperty("inBytesTotal").GetInt64() + total.GetProperty("outBytesTotal").GetInt64();
    }

    private async Task<string?> AgentOnAsync(string node, bool ready = false)
    {
        using var document = JsonDocument.Parse(await KubectlAsync("get", "pods", "-n", "ksync", "-o", "json"));
        foreach (var pod in document.RootElement.GetProperty("items").EnumerateArray())
        {
            var onNode = pod.GetProperty("spec").TryGetProperty("nodeName", out var n) && n.GetString() == node;
            var deleting = pod.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _);
            var isReady = pod.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
                && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
            if (onNode && !deleting && (!ready || isReady))
            {
                return pod.GetProperty("metadata").GetProperty("name").GetString();
            }
        }

        return null;
    }

    private async Task<int> ContainerPidAsync(string state)
    {
        var id = (await KubectlAsync("get", "pod", Pod, "-o", "jsonpath={.status.containerStatuses[0].containerID}")).Trim();
        var docker = (await File.ReadAllTextAsync(Path.Combine(state, "docker-host"), _cancel)).Trim();
        var pid = (await ProcessRunner.RunAsync("docker", ["-H", docker, "inspect", "-f", "{{.State.Pid}}", id[(id.IndexOf("://", StringComparison.Ordinal) + 3)..]], cancellationToken: _cancel)).EnsureSuccess().Stdout;
        return int.Parse(pid.Trim(), CultureInfo.InvariantCulture);
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["KSYNC_HOME"] = _home,
        ["HOME"] = Path.Combine(_home, "user-home"),
        ["KUBECONFIG"] = _kubeconfig,
    };

    private async Task PluginAsync(params string[] args)
        => (await ProcessRunner.RunAsync(_plugin, args, Environment(), _root, timeout: TimeSpan.FromMinutes(3), cancellationToken: _cancel)).EnsureSuccess();

    private Task<string> KubectlAsync(params string[] args) => KubectlInAsync(null, args);

    private async Task<string> KubectlInAsync(string? stdin, params string[] args)
        => (await ProcessRunner.RunAsync("kubectl", ["--kubeconfig", _kubeconfig, "--cache-dir", Path.Combine(_root, "kubectl-cache"), .. args], stdin: stdin, cancellationToken: _cancel)).EnsureSuccess().Stdout;

    private async Task WaitAsync(Func<Task<bool>> condition, string what, int pollMs = 100)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or JsonException or IOException)
            {
                // Not there yet.
            }

            if (watch.Elapsed > WaitTimeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(pollMs, _cancel);
        }
    }
}
