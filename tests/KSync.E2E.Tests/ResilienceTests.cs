namespace KSync.E2E.Tests;

/// <summary>watch keeps syncing through trouble in the cluster: the API server restarting mid-watch.</summary>
[Collection(E2EGroup.Name)]
public sealed class ResilienceTests(E2EFixture fixture)
{
    private readonly LabPods _pods = new(fixture);

    [Fact]
    public async Task Watch_ApiServerRestartedMidWatch_LaterEditArrives()
    {
        fixture.Require();
        var pod = LabPods.Unique("apirst");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "one");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "apirst", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("apirst");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "one", "the initial file");

        await fixture.Lab.RestartApiServerAsync(downtime: TimeSpan.FromSeconds(2), cancellationToken: TestContext.Current.CancellationToken);

        File.WriteAllText(Path.Combine(local, "a.txt"), "after the restart");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "after the restart", "an edit after the API server restart");
        File.WriteAllText(Path.Combine(local, "b.txt"), "new file");
        await _pods.WaitFileAsync(pod, "/app/b.txt", "new file", "a new file after the API server restart");
        session.EnsureRunning();
        await session.WaitWatchingAsync("apirst");
    }
}
