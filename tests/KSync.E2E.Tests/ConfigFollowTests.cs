using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>watch follows ksync.yaml while it runs: an edited remote path moves the sync; a broken file is logged and the last good config kept.</summary>
[Collection(E2EGroup.Name)]
public sealed class ConfigFollowTests(E2EFixture fixture)
{
    private readonly LabPods _pods = new(fixture);

    [Fact]
    public async Task Watch_RemotePathEditedInConfig_MovesSync()
    {
        fixture.Require();
        var pod = LabPods.Unique("move");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "one");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "move", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("move");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "one", "the file in the first remote path");

        var yaml = File.ReadAllText(session.ConfigFile);
        Assert.Contains("remotepath: /app\n", yaml, StringComparison.Ordinal);
        File.WriteAllText(session.ConfigFile, yaml.Replace("remotepath: /app\n", "remotepath: /app2\n", StringComparison.Ordinal));

        await _pods.WaitFileAsync(pod, "/app2/a.txt", "one", "the file in the new remote path");
        await Eventually.TrueAsync(
            async () => (await session.GetAsync()).GetProperty("items")[0].GetProperty("remotePath").GetString() == "/app2",
            TimeSpan.FromSeconds(30),
            "get to show the new remote path");
        await session.WaitWatchingAsync("move");
        File.WriteAllText(Path.Combine(local, "b.txt"), "after the move");
        await _pods.WaitFileAsync(pod, "/app2/b.txt", "after the move", "a later edit in the new remote path");
        await SyncTests.NeverAsync(async () => await _pods.ReadAsync(pod, "/app/b.txt") is not null, "an edit after the move still went to the old remote path");
    }

    [Fact]
    public async Task Watch_ConfigBrokenWhileWatching_LogsAndKeepsLastGood()
    {
        fixture.Require();
        var pod = LabPods.Unique("badcfg");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "one");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "badcfg", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("badcfg");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "one", "the initial file");

        File.WriteAllText(session.ConfigFile, "spec:\n  - name: [unclosed\n    localpath: {\n");
        await Eventually.TrueAsync(
            () => session.Output.Contains("no longer parses", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "watch to log that the config no longer parses");
        session.EnsureRunning();

        File.WriteAllText(Path.Combine(local, "a.txt"), "two");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "two", "an edit to still sync under the last good config");
        var services = await session.ServicesAsync("badcfg");
        Assert.Equal("watching", Assert.Single(services).GetProperty("status").GetString());
    }
}
