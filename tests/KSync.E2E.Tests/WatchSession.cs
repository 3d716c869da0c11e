using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// One user's ksync: a private KSYNC_HOME and HOME, local project folders, and a foreground
/// <c>kubectl-ksync watch --port N --log-level debug</c> process on a free status port (never 40322), run from the
/// published binary with <c>KUBECONFIG</c> naming the lab. Dispose stops watch (SIGTERM, then kill after 10 s),
/// stops a daemon it started, writes watch's output to the test output, and deletes the folders.
/// </summary>
internal sealed class WatchSession : IAsyncDisposable
{
    private readonly TempDirectory _root = new("ksync-e2e");
    private readonly StringBuilder _output = new();
    private readonly List<int> _daemonPids = [];
    private readonly string _kubeconfig;
    private Process? _watch;

    /// <summary>Creates the session's folders.</summary>
    /// <param name="kubeconfig">The lab's kubeconfig.</param>
    public WatchSession(string kubeconfig)
    {
        _kubeconfig = kubeconfig;
        Home = _root.Combine("home");
        Directory.CreateDirectory(Home);
        Runner = new PluginRunner(Home, _root.Path).With("KUBECONFIG", kubeconfig);
        Port = FreePort.Next();
    }

    /// <summary>Gets KSYNC_HOME.</summary>
    public string Home { get; }

    /// <summary>Gets the config file.</summary>
    public string ConfigFile => Runner.ConfigFile;

    /// <summary>Gets the status port of this session's watch.</summary>
    public int Port { get; }

    /// <summary>Gets the runner of one-shot plugin commands.</summary>
    public PluginRunner Runner { get; }

    /// <summary>Gets watch's output so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Makes a local folder under the session's temp folder.</summary>
    /// <param name="name">Folder name.</param>
    /// <returns>Its absolute path.</returns>
    public string LocalFolder(string name)
    {
        var path = _root.Combine(name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Runs a plugin command and requires exit code 0.</summary>
    /// <param name="args">Arguments.</param>
    /// <returns>The result.</returns>
    public async Task<ProcessResult> RunOkAsync(params string[] args)
    {
        var result = await Runner.RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl-ksync {string.Join(' ', args)} failed: {result.Output}");
        return result;
    }

    /// <summary>Runs <c>create LOCAL REMOTE ARGS</c>.</summary>
    /// <param name="local">Local folder.</param>
    /// <param name="remote">Remote folder.</param>
    /// <param name="args">More arguments (name, selector, flags).</param>
    /// <returns>A task.</returns>
    public Task CreateAsync(string local, string remote, params string[] args)
        => RunOkAsync(["create", local, remote, .. args]);

    /// <summary>Gets a value indicating whether the watch this session started runs.</summary>
    public bool IsWatchRunning => _watch is { HasExited: false };

    /// <summary>Gets the PID of the watch process this session started last.</summary>
    public int WatchPid => (_watch ?? throw new InvalidOperationException("watch was not started")).Id;

    /// <summary>Sends a signal to watch, as <c>kill -NAME</c> would.</summary>
    /// <param name="signal">The signal's name without SIG, e.g. <c>STOP</c>.</param>
    /// <returns>A task.</returns>
    public async Task SignalWatchAsync(string signal)
        => (await ProcessRunner.RunAsync("kill", [$"-{signal}", WatchPid.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken: Token)).EnsureSuccess();

    /// <summary>Stops watch with <paramref name="signal"/> (TERM: cleanly; KILL: at once) and waits until it exited.</summary>
    /// <param name="signal">TERM or KILL.</param>
    /// <returns>A task.</returns>
    public async Task StopWatchAsync(string signal)
    {
        var watch = _watch ?? throw new InvalidOperationException("watch was not started");
        await SignalWatchAsync(signal);
        await watch.WaitForExitAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        Append($"--- watch exited with {watch.ExitCode} after SIG{signal} ---");
        watch.Dispose();
        _watch = null;
    }

    /// <summary>
    /// Starts <c>get -w -o wide</c> against this session's watch in the background, recording every row it prints, so
    /// a status that lasted a moment is seen; dispose the recorder to stop it.
    /// </summary>
    /// <returns>The recorder.</returns>
    public async Task<StatusRecorder> RecordStatusAsync() => await StatusRecorder.StartAsync(Runner, Port);

    /// <summary>Starts <c>watch</c> in the foreground as a child process and waits until its status server answers.</summary>
    /// <returns>A task.</returns>
    public async Task StartWatchAsync()
    {
        var info = new ProcessStartInfo(await Binaries.PluginAsync(Token))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Runner.WorkingDirectory,
        };
        foreach (var arg in new[] { "watch", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--log-level", "debug" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["KSYNC_HOME"] = Home;
        info.Environment["HOME"] = Path.Combine(Home, "user-home");
        info.Environment["KUBECONFIG"] = _kubeconfig;
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("KSYNC_", StringComparison.Ordinal) && k is not "KSYNC_HOME" && !k.StartsWith("KSYNC_TEST_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        _watch = new Process { StartInfo = info };
        _watch.OutputDataReceived += (_, e) => Append(e.Data);
        _watch.ErrorDataReceived += (_, e) => Append(e.Data);
        _watch.Start();
        _watch.BeginOutputReadLine();
        _watch.BeginErrorReadLine();
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(_watch.HasExited, $"watch exited with {(_watch.HasExited ? _watch.ExitCode : 0)}:\n{Output}");
                return (await GetAsync()).GetProperty("watching").GetBoolean();
            },
            TimeSpan.FromSeconds(45),
            "watch's status server to answer",
            TimeSpan.FromMilliseconds(200));
    }

    /// <summary>Runs <c>get -o json --port N</c> and parses it.</summary>
    /// <returns>The root object (kind SpecList).</returns>
    public async Task<JsonElement> GetAsync()
    {
        var result = await Runner.RunAsync("get", "-o", "json", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, $"get failed: {result.Output}");
        using var document = JsonDocument.Parse(result.Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Gets the services of spec <paramref name="spec"/> from <c>get -o json</c>.</summary>
    /// <param name="spec">Spec name.</param>
    /// <returns>The services (pod, status, initialSyncPercent, ...).</returns>
    public async Task<JsonElement[]> ServicesAsync(string spec)
    {
        var root = await GetAsync();
        var item = root.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("name").GetString() == spec);
        return [.. item.GetProperty("services").EnumerateArray()];
    }

    /// <summary>Waits until spec <paramref name="spec"/> has <paramref name="count"/> services, all watching at 100 %.</summary>
    /// <param name="spec">Spec name.</param>
    /// <param name="count">Expected number of containers.</param>
    /// <returns>A task.</returns>
    public Task WaitWatchingAsync(string spec, int count = 1)
        => Eventually.TrueAsync(
            async () =>
            {
                EnsureRunning();
                var services = await ServicesAsync(spec);
                return services.Length == count && services.All(s => s.GetProperty("status").GetString() == "watching" && s.GetProperty("initialSyncPercent").GetDouble() >= 100);
            },
            TimeSpan.FromSeconds(60),
            $"spec {spec} to watch {count} container(s) at 100 %",
            TimeSpan.FromMilliseconds(200));

    /// <summary>Fails when watch has exited.</summary>
    public void EnsureRunning()
    {
        if (_watch is { HasExited: true })
        {
            Assert.Fail($"watch exited with {_watch.ExitCode}:\n{Output}");
        }
    }

    /// <summary>Remembers a daemon's PID so dispose kills it if the test did not stop it.</summary>
    /// <param name="pid">The PID.</param>
    public void TrackDaemon(int pid) => _daemonPids.Add(pid);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_watch is not null)
        {
            await StopAsync(_watch);
            _watch.Dispose();
        }

        // A daemon whose start the test never saw through (the command failed or timed out) is stopped too.
        if (File.Exists(Path.Combine(Home, "daemon.pid"))
            && int.TryParse(File.ReadAllText(Path.Combine(Home, "daemon.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var daemonPid)
            && !_daemonPids.Contains(daemonPid))
        {
            _daemonPids.Add(daemonPid);
        }

        foreach (var pid in _daemonPids)
        {
            try
            {
                using var daemon = Process.GetProcessById(pid);
                await StopAsync(daemon);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"--- watch output (port {Port}) ---\n{Output}");
        _root.Dispose();
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout: TimeSpan.FromSeconds(10), cancellationToken: CancellationToken.None);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
