using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// Reload end to end on both node runtimes: a local edit restarts the container once (default mode <c>restart</c>),
/// never in a loop, and files the app writes never trigger a reload. On containerd a restart is a new container (new
/// ID, a new Service) on the same emptyDir volume: the sync resumes under its folder ID, and a resume that changed
/// nothing in the container reloads nothing (docs/architecture.md, "Reload rules").
/// </summary>
[Collection(E2EGroup.Name)]
public sealed class ReloadTests(E2EFixture fixture)
{
    private readonly LabPods _pods = new(fixture);

    [Theory]
    [MemberData(nameof(E2EFixture.Runtimes), MemberType = typeof(E2EFixture))]
    public async Task Reload_OneLocalEdit_RestartsContainerOnceWithoutLoop(NodeRuntime runtime)
    {
        fixture.Require();
        var pod = LabPods.Unique("reload");
        await _pods.CreateAsync(pod, pod, runtime: runtime);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "one");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "reload");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("reload");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "one", "the initial file in the container");
        var before = await WaitFirstSyncReloadAsync(session, "reload", pod);

        File.WriteAllText(Path.Combine(local, "a.txt"), "two");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "two", "the edit in the container");
        await Eventually.TrueAsync(
            async () => await _pods.RestartCountAsync(pod) > before,
            TimeSpan.FromSeconds(30),
            "the edit to restart the container",
            TimeSpan.FromMilliseconds(200));

        // Over the next 10 s the count must settle: one restart for one edit, not growing in the window.
        var counts = await ObserveRestartsAsync(pod, TimeSpan.FromSeconds(10));
        TestContext.Current.SendDiagnosticMessage($"reload: restartCount before {before}, after the edit {string.Join(",", counts)}");
        Assert.True(counts[^1] - before == 1, $"one edit restarted the container {counts[^1] - before} times (counts {string.Join(",", counts)}):\n{session.Output}");
        Assert.True(counts[counts.Count / 2] == counts[^1], $"restarts kept growing after one edit (counts {string.Join(",", counts)})");
        Assert.Equal("two", await _pods.ReadAsync(pod, "/app/a.txt"));
    }

    [Theory]
    [MemberData(nameof(E2EFixture.Runtimes), MemberType = typeof(E2EFixture))]
    public async Task Reload_AppWritesInsideSyncedPath_DoesNotReload(NodeRuntime runtime)
    {
        fixture.Require();
        var pod = LabPods.Unique("appwr");
        await _pods.CreateAsync(pod, pod, runtime: runtime);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "one");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "appwr");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("appwr");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "one", "the initial file in the container");
        var before = await WaitFirstSyncReloadAsync(session, "appwr", pod);
        var reloads = await ReloadCountAsync(session, "appwr");

        // The app writes inside the synced path (a log, a cache): the files come back, and nothing restarts.
        await _pods.WriteAsync(pod, "/app/app.log", "line 1");
        await _pods.WriteAsync(pod, "/app/cache/data.bin", "cached");
        await SyncTests.WaitLocalAsync(Path.Combine(local, "app.log"), "line 1", "the app's file to come back");
        await SyncTests.WaitLocalAsync(Path.Combine(local, "cache", "data.bin"), "cached", "the app's nested file to come back");
        var counts = await ObserveRestartsAsync(pod, TimeSpan.FromSeconds(8));
        TestContext.Current.SendDiagnosticMessage($"app writes: restartCount before {before}, after {string.Join(",", counts)}");
        Assert.True(counts.All(c => c == before), $"files the app wrote restarted the container (before {before}, counts {string.Join(",", counts)}):\n{session.Output}");
        Assert.Equal(reloads, await ReloadCountAsync(session, "appwr"));
    }

    // The first sync brings local files into the new container, which is then reloaded once so the app runs them;
    // wait for that restart to finish, and return the pod's restartCount after it. (The reload count is the Service's:
    // on containerd the restarted container is a new Service, so only the pod's restartCount tells.)
    private async Task<int> WaitFirstSyncReloadAsync(WatchSession session, string spec, string pod)
    {
        await Eventually.TrueAsync(
            async () => await _pods.RestartCountAsync(pod) >= 1,
            TimeSpan.FromSeconds(30),
            "the reload after the first sync",
            TimeSpan.FromMilliseconds(200));
        await _pods.WaitRunningAsync(pod);
        await session.WaitWatchingAsync(spec);
        return await _pods.RestartCountAsync(pod);
    }

    private static async Task<int> ReloadCountAsync(WatchSession session, string spec)
        => (await session.ServicesAsync(spec)) is [var service] ? service.GetProperty("reloadCount").GetInt32() : 0;

    // Samples the pod's restartCount every 500 ms for the window (an observation window, not a wait for an event).
    private async Task<List<int>> ObserveRestartsAsync(string pod, TimeSpan window)
    {
        var counts = new List<int>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < window)
        {
            counts.Add(await _pods.RestartCountAsync(pod));
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        counts.Add(await _pods.RestartCountAsync(pod));
        return counts;
    }
}
