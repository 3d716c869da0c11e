using System.Globalization;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// <c>kubectl ksync wait</c>, the sync barrier (docs/architecture.md, "The sync barrier"), on the lab: 0 once an edit
/// is in the container; 1 naming the container and why while its node agent is away; 1 for bad input; with --verify,
/// 1 naming a file changed in the container behind syncthing's back.
/// </summary>
[Collection(E2EGroup.Name)]
public sealed class WaitTests(E2EFixture fixture)
{
    private readonly LabPods _pods = new(fixture);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wait_AfterAnEdit_ReturnsZeroWithTheEditInTheContainer()
    {
        fixture.Require();
        var pod = LabPods.Unique("wait");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "first");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "wait", "--reload-mode", "none");
        var port = session.Port.ToString(CultureInfo.InvariantCulture);
        var started = await session.RunOkAsync("watch", "--daemon", "--port", port);
        session.TrackDaemon(int.Parse(File.ReadAllText(Path.Combine(session.Home, "daemon.pid")).Trim(), CultureInfo.InvariantCulture));

        // Right after watch --daemon, as in a dev container's postStartCommand: the first sync is in the container.
        var first = await session.Runner.RunAsync("wait", "--timeout", "90s", "--port", port);
        Assert.True(first.ExitCode == 0, $"{first.Output}\nwatch --daemon: {started.Output}");
        Assert.Equal("first", await _pods.ReadAsync(pod, "/app/a.txt"));

        // An edit and a new file saved just before the call: both are there when wait returns, without waiting more.
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllText(Path.Combine(local, "a.txt"), $"edit {i}");
            File.WriteAllText(Path.Combine(local, $"new-{i}.txt"), $"new {i}");
            var result = await session.Runner.RunAsync("wait", "wait", "--timeout", "30s", "--port", port);

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains($"spec wait, pod default/{pod} container app: holds every local change", result.Stdout, StringComparison.Ordinal);
            Assert.Equal($"edit {i}", await _pods.ReadAsync(pod, "/app/a.txt"));
            Assert.Equal($"new {i}", await _pods.ReadAsync(pod, $"/app/new-{i}.txt"));
        }
    }

    [Fact]
    public async Task WaitVerify_FileChangedInTheContainerBehindSyncthingsBack_FailsNamingIt()
    {
        fixture.Require();
        var pod = LabPods.Unique("verify");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        Directory.CreateDirectory(Path.Combine(local, "sub"));
        File.WriteAllText(Path.Combine(local, "a.txt"), "first");
        File.WriteAllText(Path.Combine(local, "sub", "b.txt"), "bravo");
        File.WriteAllText(Path.Combine(local, ".gitignore"), "*.log\n");
        File.WriteAllText(Path.Combine(local, "local.log"), "ignored, never synced");

        // A whole-second mtime, so the container's copy keeps it exactly and busybox touch -r can put it back.
        File.SetLastWriteTimeUtc(Path.Combine(local, "a.txt"), new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "verify", "--reload-mode", "none");
        var port = session.Port.ToString(CultureInfo.InvariantCulture);
        await session.RunOkAsync("watch", "--daemon", "--port", port);
        session.TrackDaemon(int.Parse(File.ReadAllText(Path.Combine(session.Home, "daemon.pid")).Trim(), CultureInfo.InvariantCulture));
        await _pods.WriteAsync(pod, "/app/node.log", "ignored on the node too");

        var same = await session.Runner.RunAsync("wait", "--verify", "--timeout", "90s", "--port", port);

        Assert.True(same.ExitCode == 0, same.Output);
        Assert.Contains($"spec verify, pod default/{pod} container app: same content as the local folder", same.Stdout, StringComparison.Ordinal);
        Assert.Equal("bravo", await _pods.ReadAsync(pod, "/app/sub/b.txt"));

        // Same size and the same mtime: the node syncthing's scanner sees no change, so nothing syncs back or over it.
        (await _pods.ExecAsync(pod, "sh", "-c", "touch -r /app/a.txt /tmp/ref && printf FIRST > /app/a.txt && touch -r /tmp/ref /app/a.txt")).EnsureSuccess();

        var changed = await session.Runner.RunAsync("wait", "--verify", "--timeout", "30s", "--port", port);

        Assert.Equal(1, changed.ExitCode);
        Assert.Contains($"spec verify, pod default/{pod} container app: holds every local change", changed.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Error: spec verify, pod default/{pod} container app: 1 path(s) differ from the local folder:", changed.Stderr, StringComparison.Ordinal);
        Assert.Contains("  a.txt: content (same size, SHA-256 ", changed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".log", changed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".st", changed.Stderr, StringComparison.Ordinal);
        Assert.Equal("first", File.ReadAllText(Path.Combine(local, "a.txt")));
        Assert.Equal("FIRST", await _pods.ReadAsync(pod, "/app/a.txt"));
    }

    [Fact]
    public async Task Wait_NodeAgentAway_FailsNamingTheContainerAndWhy()
    {
        fixture.Require();
        var pod = LabPods.Unique("waitaway");
        await _pods.CreateAsync(pod, pod);
        var node = await _pods.NodeAsync(pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "before");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "away", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("away");
        var port = session.Port.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await session.Runner.RunAsync("wait", "--timeout", "30s", "--port", port)).ExitCode);

        // The node agent goes and cannot come back (its image does not pull) until the fault is lifted.
        await fixture.Lab.SetAgentPullFailingAsync(node, true);
        try
        {
            await Eventually.TrueAsync(
                async () => (await session.ServicesAsync("away")).Single().GetProperty("status").GetString() == "reconnecting",
                TimeSpan.FromSeconds(30),
                "the service to show reconnecting while the agent is away",
                TimeSpan.FromMilliseconds(200));
            File.WriteAllText(Path.Combine(local, "a.txt"), "while away");
            var watch = System.Diagnostics.Stopwatch.StartNew();

            var result = await session.Runner.RunAsync("wait", "--timeout", "3s", "--port", port);

            Assert.Equal(1, result.ExitCode);
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3), $"wait returned after {watch.Elapsed}: {result.Output}");
            Assert.Contains($"Error: spec away, pod default/{pod} container app is not there after 3 s: reconnecting to the node since ", result.Stderr, StringComparison.Ordinal);
            Assert.Empty(result.Stdout);
        }
        finally
        {
            await fixture.Lab.SetAgentPullFailingAsync(node, false);
        }

        // Back: the edit made while it was away lands, and wait says so.
        var back = await session.Runner.RunAsync("wait", "--timeout", "90s", "--port", port);
        Assert.True(back.ExitCode == 0, back.Output);
        Assert.Equal("while away", await _pods.ReadAsync(pod, "/app/a.txt"));
    }

    [Fact]
    public async Task Wait_BadInput_FailsWithAMessage()
    {
        fixture.Require();
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        await session.CreateAsync(local, "/app", "-l", "app=nothing-matches-this", "--name", "lonely", "--reload-mode", "none");
        var port = session.Port.ToString(CultureInfo.InvariantCulture);

        var notRunning = await session.Runner.RunAsync("wait", "--port", port);
        await session.StartWatchAsync();
        var unknown = await session.Runner.RunAsync("wait", "lonely", "nosuch", "--port", port);
        var badTimeout = await session.Runner.RunAsync("wait", "--timeout", "soon", "--port", port);
        var noContainer = await session.Runner.RunAsync("wait", "lonely", "--timeout", "1s", "--port", port);

        Assert.Equal(1, notRunning.ExitCode);
        Assert.Contains($"wait asks the running watch, and none answers on 127.0.0.1:{port}", notRunning.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No spec named 'nosuch'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, badTimeout.ExitCode);
        Assert.Contains("--timeout must be a positive duration", badTimeout.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, noContainer.ExitCode);
        Assert.Contains("Error: spec lonely is not there after 1 s: no running pods matching app=nothing-matches-this", noContainer.Stderr, StringComparison.Ordinal);
        session.EnsureRunning();
    }
}
