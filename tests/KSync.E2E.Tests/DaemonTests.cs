using System.Globalization;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary><c>watch --daemon</c> runs in the background and syncs; <c>clean --local</c> stops it.</summary>
[Collection(E2EGroup.Name)]
public sealed class DaemonTests(E2EFixture fixture)
{
    private readonly LabPods _pods = new(fixture);

    [Fact]
    public async Task CleanLocal_AfterWatchDaemon_StopsDaemon()
    {
        fixture.Require();
        var pod = LabPods.Unique("daemon");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "daemon");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "daemon", "--reload-mode", "none");

        var port = session.Port.ToString(CultureInfo.InvariantCulture);
        var started = await session.RunOkAsync("watch", "--daemon", "--port", port, "--log-level", "debug");
        var pidFile = Path.Combine(session.Home, "daemon.pid");
        Assert.True(File.Exists(pidFile), $"no daemon.pid after watch --daemon: {started.Output}");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        session.TrackDaemon(pid);
        Assert.Contains($"PID {pid}", started.Stdout, StringComparison.Ordinal);
        Assert.Contains("clean --local", started.Stdout, StringComparison.Ordinal);
        Assert.True(Directory.Exists($"/proc/{pid}"), "the daemon is not running");

        await session.WaitWatchingAsync("daemon");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "daemon", "the daemon to sync");

        var clean = await session.RunOkAsync("clean", "--local", "--port", port);
        await Eventually.TrueAsync(() => !Directory.Exists($"/proc/{pid}") || IsZombie(pid), TimeSpan.FromSeconds(20), $"daemon PID {pid} to exit after clean --local ({clean.Stdout.Trim()})");
        Assert.False(File.Exists(pidFile), "daemon.pid is left after clean --local");

        var get = await session.RunOkAsync("get", "-o", "json", "--port", port);
        Assert.Contains("\"watching\": false", get.Stdout, StringComparison.Ordinal);
        var table = await session.RunOkAsync("get", "--port", port);
        Assert.Contains("watch is not running", table.Output, StringComparison.Ordinal);
    }

    // A process that exited but was not reaped (its parent is gone, so init reaps it soon) counts as stopped.
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
