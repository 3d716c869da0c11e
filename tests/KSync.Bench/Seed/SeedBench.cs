using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KSync.TestKit;

namespace KSync.Bench.Seed;

/// <summary>
/// <c>seed</c>: first-sync figures on the lab through the published plugin (docs/architecture.md, "The seed"). For each
/// size (default 1,000 and 10,000 files of 4 KB, 100 per directory) on the lab's Docker node, same run, next to each
/// other: the floor, <c>tar -cf - . | docker exec -i &lt;container&gt; tar -xf -</c> into a fresh directory of the
/// container; and <c>kubectl ksync create</c> + <c>watch</c> until the spec is <c>watching</c> with the first sync done
/// and every file in the container, with the seed's own time from watch's log; and the same into another pod with the
/// seed turned off (<c>KSYNC_SEED=off</c>), syncthing alone. <c>--files 1000,10000,100000</c> picks the sizes.
/// </summary>
internal sealed class SeedBench : IBenchMode
{
    /// <summary>watch's switch that turns the seed off (docs/architecture.md, "The seed").</summary>
    private const string WatchRunnerSeedVariable = "KSYNC_SEED";
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(10);
    private string _plugin = string.Empty;
    private string _kubeconfig = string.Empty;
    private string _home = string.Empty;
    private string _root = string.Empty;
    private int _port;
    private CancellationToken _cancel;
    private string? _watchLog;

    /// <inheritdoc/>
    public string Name => "seed";

    /// <inheritdoc/>
    public string Description => "on the lab: first sync (create → watching) next to tar over docker exec (--files N[,N...], --watch-log FILE)";

    /// <inheritdoc/>
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        _cancel = cancellationToken;
        int[] sizes = [1_000, 10_000];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--files":
                    sizes = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--watch-log":
                    // Watch's log at debug level, appended: where the first sync's time goes.
                    _watchLog = Path.GetFullPath(args[i + 1]);
                    break;
                default:
                    throw new ArgumentException($"seed bench: unknown argument '{args[i]}' (--files N[,N...], --watch-log FILE)");
            }
        }

        using var root = new TempDirectory("ksync-bench-seed");
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
            var node = (await KubectlAsync(null, "get", "nodes", "-l", "lab.ksync.dev/runtime=docker", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
            var docker = (await File.ReadAllTextAsync(Path.Combine(state, "docker-host"), cancellationToken)).Trim();
            output.WriteLine($"seed bench: lab Docker node {node}, files of 4 KB, 100 per directory");
            output.WriteLine();
            output.WriteLine("| files | tar into the container (floor) | ksync create → watching, all files in the container | of which the seed | ratio | syncthing alone (KSYNC_SEED=off) |");
            output.WriteLine("|---|---|---|---|---|---|");
            foreach (var files in sizes)
            {
                var pod = $"bench-seed-{files}";
                await KubectlAsync(PodYaml(pod, node), "create", "--validate=false", "-f", "-");
                await KubectlAsync(null, "wait", "--for=condition=Ready", $"pod/{pod}", "--timeout=120s");
                var id = (await KubectlAsync(null, "get", "pod", pod, "-o", "jsonpath={.status.containerStatuses[0].containerID}")).Trim();
                id = id[(id.IndexOf("://", StringComparison.Ordinal) + 3)..];
                var local = Path.Combine(_root, pod);
                var filler = new string('x', 4000);
                for (var i = 0; i < files; i++)
                {
                    var dir = Path.Combine(local, $"d{i / 100:0000}");
                    Directory.CreateDirectory(dir);
                    File.WriteAllText(Path.Combine(dir, $"f{i % 100:00}.txt"), $"file {i}\n{filler}");
                }

                var tar = Stopwatch.StartNew();
                (await ProcessRunner.RunAsync("sh", ["-c", "tar -C \"$1\" -cf - . | docker -H \"$2\" exec -i \"$3\" tar -C /floor -xf -", "sh", local, docker, id], timeout: WaitTimeout, cancellationToken: cancellationToken)).EnsureSuccess();
                var floor = tar.Elapsed.TotalSeconds;
                var floorCount = await CountAsync(docker, id, "/floor");
                if (floorCount != files)
                {
                    throw new InvalidOperationException($"tar put {floorCount} of {files} files into the container");
                }

                var (seconds, seed) = await FirstSyncAsync(pod, local, docker, id, files, seedOff: false);

                // The same tree into a pod of its own with the seed turned off: syncthing alone.
                var alonePod = $"bench-st-{files}";
                await KubectlAsync(PodYaml(alonePod, node), "create", "--validate=false", "-f", "-");
                await KubectlAsync(null, "wait", "--for=condition=Ready", $"pod/{alonePod}", "--timeout=120s");
                var aloneId = (await KubectlAsync(null, "get", "pod", alonePod, "-o", "jsonpath={.status.containerStatuses[0].containerID}")).Trim();
                aloneId = aloneId[(aloneId.IndexOf("://", StringComparison.Ordinal) + 3)..];
                var (alone, _) = await FirstSyncAsync(alonePod, local, docker, aloneId, files, seedOff: true);
                output.WriteLine($"| {files:N0} | {floor:F1} s | {seconds:F1} s | {seed} | {seconds / floor:F1}× | {alone:F1} s |");
            }

            return 0;
        }
        finally
        {
            await ProcessRunner.RunAsync("dotnet", [labDll, "down", "--state", state], timeout: TimeSpan.FromMinutes(2), cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>A spec for <paramref name="pod"/>, watch until it is watching with every file in the container, then watch stopped and the spec deleted.</summary>
    /// <returns>Seconds from watch's start to watching, and the seed's time from watch's log (or "no seed").</returns>
    private async Task<(double Seconds, string Seed)> FirstSyncAsync(string pod, string local, string docker, string id, int files, bool seedOff)
    {
        await PluginAsync("create", local, "/app", "-l", $"app={pod}", "--name", pod, "--reload-mode", "none");
        var sync = Stopwatch.StartNew();
        using var watch = StartWatch(seedOff, out var log);
        await WaitAsync(() => WatchingAsync(pod), $"{pod} watching");
        var seconds = sync.Elapsed.TotalSeconds;
        var count = await CountAsync(docker, id, "/app");
        if (count < files)
        {
            throw new InvalidOperationException($"ksync said watching with {count} of {files} files in the container");
        }

        string seed;
        lock (log)
        {
            var line = log.LastOrDefault(l => l.Contains("seeded the container", StringComparison.Ordinal));
            seed = line is null ? "no seed" : line[(line.LastIndexOf(' ', line.Length - 4) + 1)..].TrimEnd('.');
        }

        if (seedOff && seed != "no seed")
        {
            throw new InvalidOperationException($"watch seeded {pod} with {WatchRunnerSeedVariable}=off");
        }

        await StopAsync(watch);
        await PluginAsync("delete", pod);
        return (seconds, seed);
    }

    private static string PodYaml(string pod, string node) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{pod}}
          labels: {app: {{pod}}}
        spec:
          nodeSelector: {kubernetes.io/hostname: {{node}}}
          tolerations: [{key: lab.ksync.dev/dedicated, operator: Exists}]
          terminationGracePeriodSeconds: 0
          containers:
          - name: app
            image: busybox:latest
            imagePullPolicy: IfNotPresent
            command: [sh, -c, "trap 'exit 0' TERM; mkdir -p /app /floor; while true; do sleep 1; done"]
        """;

    private static async Task StopAsync(Process watch)
    {
        if (!watch.HasExited)
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", watch.Id.ToString(CultureInfo.InvariantCulture)], cancellationToken: CancellationToken.None);
            await watch.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        }
    }

    private async Task<int> CountAsync(string docker, string id, string path)
    {
        var result = (await ProcessRunner.RunAsync("docker", ["-H", docker, "exec", id, "sh", "-c", $"find {path} -type f -name 'f*.txt' | wc -l"], cancellationToken: _cancel)).EnsureSuccess();
        return int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
    }

    private Process StartWatch(bool seedOff, out List<string> log)
    {
        var info = new ProcessStartInfo(_plugin) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string[] args = _watchLog is null ? ["watch", "--port", _port.ToString(CultureInfo.InvariantCulture)] : ["watch", "--port", _port.ToString(CultureInfo.InvariantCulture), "--log-level", "debug"];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment())
        {
            info.Environment[key] = value;
        }

        if (seedOff)
        {
            info.Environment[WatchRunnerSeedVariable] = "off";
        }

        var lines = new List<string>();
        var file = _watchLog;
        if (file is not null)
        {
            File.AppendAllText(file, $"---- {DateTime.Now:HH:mm:ss.fff} watch started\n");
        }

        var watch = Process.Start(info) ?? throw new InvalidOperationException("watch did not start");
        watch.OutputDataReceived += (_, e) =>
        {
            lock (lines)
            {
                lines.Add(e.Data ?? string.Empty);
            }
        };
        watch.ErrorDataReceived += (_, e) =>
        {
            lock (lines)
            {
                lines.Add(e.Data ?? string.Empty);
                if (file is not null && e.Data is not null)
                {
                    File.AppendAllText(file, e.Data + "\n");
                }
            }
        };
        watch.BeginOutputReadLine();
        watch.BeginErrorReadLine();
        log = lines;
        return watch;
    }

    private async Task<bool> WatchingAsync(string spec)
    {
        var result = await ProcessRunner.RunAsync(_plugin, ["get", "-o", "json", "--port", _port.ToString(CultureInfo.InvariantCulture)], Environment(), cancellationToken: _cancel);
        if (result.ExitCode != 0)
        {
            return false;
        }

        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("name").GetString() == spec
            && i.GetProperty("services").EnumerateArray().ToList() is [var service]
            && service.GetProperty("status").GetString() == "watching" && service.GetProperty("initialSyncPercent").GetDouble() >= 100);
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["KSYNC_HOME"] = _home,
        ["HOME"] = Path.Combine(_home, "user-home"),
        ["KUBECONFIG"] = _kubeconfig,
    };

    private async Task PluginAsync(params string[] args)
        => (await ProcessRunner.RunAsync(_plugin, args, Environment(), _root, timeout: TimeSpan.FromMinutes(3), cancellationToken: _cancel)).EnsureSuccess();

    private async Task<string> KubectlAsync(string? stdin, params string[] args)
        => (await ProcessRunner.RunAsync("kubectl", ["--kubeconfig", _kubeconfig, "--cache-dir", Path.Combine(_root, "kubectl-cache"), .. args], stdin: stdin, cancellationToken: _cancel)).EnsureSuccess().Stdout;

    private async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > WaitTimeout)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(100, _cancel);
        }
    }
}
