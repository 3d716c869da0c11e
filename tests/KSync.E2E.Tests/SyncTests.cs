using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// <c>kubectl ksync watch</c> end to end on the lab, through the published binary: local changes reach the
/// container, container changes come back (or not, in the read-only modes), several pods and specs at once, and
/// a pod that is replaced is synced again with local files winning.
/// </summary>
[Collection(E2EGroup.Name)]
public sealed class SyncTests(E2EFixture fixture)
{
    private readonly LabPods _pods = new(fixture);

    [Theory]
    [MemberData(nameof(E2EFixture.Runtimes), MemberType = typeof(E2EFixture))]
    public async Task Watch_LocalCreateEditDeleteRename_AppearInContainer(NodeRuntime runtime)
    {
        fixture.Require();
        var pod = LabPods.Unique("sync");
        await _pods.CreateAsync(pod, pod, runtime: runtime);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "one");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "demo", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("demo");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "one", "the initial file in the container");

        File.WriteAllText(Path.Combine(local, "b.txt"), "created");
        Directory.CreateDirectory(Path.Combine(local, "sub", "dir"));
        File.WriteAllText(Path.Combine(local, "sub", "dir", "c.txt"), "nested");
        await _pods.WaitFileAsync(pod, "/app/b.txt", "created", "a created file in the container");
        await _pods.WaitFileAsync(pod, "/app/sub/dir/c.txt", "nested", "a file in new folders in the container");

        File.WriteAllText(Path.Combine(local, "a.txt"), "two");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "two", "the edit in the container");

        File.Delete(Path.Combine(local, "b.txt"));
        await _pods.WaitFileAsync(pod, "/app/b.txt", null, "the deleted file gone from the container");

        File.Move(Path.Combine(local, "a.txt"), Path.Combine(local, "renamed.txt"));
        await _pods.WaitFileAsync(pod, "/app/renamed.txt", "two", "the renamed file under its new name");
        await _pods.WaitFileAsync(pod, "/app/a.txt", null, "the renamed file gone under its old name");
        session.EnsureRunning();
    }

    [Theory]
    [MemberData(nameof(E2EFixture.Runtimes), MemberType = typeof(E2EFixture))]
    public async Task Watch_ContainerEdit_ComesBackLocally(NodeRuntime runtime)
    {
        fixture.Require();
        var pod = LabPods.Unique("twoway");
        await _pods.CreateAsync(pod, pod, runtime: runtime);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "local");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "twoway", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("twoway");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "local", "the initial file in the container");

        await _pods.WriteAsync(pod, "/app/from-container.txt", "remote");
        await _pods.WriteAsync(pod, "/app/a.txt", "edited in the container");
        await WaitLocalAsync(Path.Combine(local, "from-container.txt"), "remote", "a file the container wrote to come back");
        await WaitLocalAsync(Path.Combine(local, "a.txt"), "edited in the container", "the container's edit to come back");
    }

    [Fact]
    public async Task Watch_LocalReadOnly_SendsButContainerEditDoesNotComeBack()
    {
        fixture.Require();
        var pod = LabPods.Unique("lro");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "local");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "lro", "--reload-mode", "none", "--local-read-only");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("lro");
        await _pods.WaitFileAsync(pod, "/app/a.txt", "local", "the initial file in the container");

        await _pods.WriteAsync(pod, "/app/from-container.txt", "remote");
        await _pods.WriteAsync(pod, "/app/a.txt", "edited in the container");

        // The local side still sends: a later local edit arrives, so the container's changes had their chance.
        File.WriteAllText(Path.Combine(local, "later.txt"), "after");
        await _pods.WaitFileAsync(pod, "/app/later.txt", "after", "a local edit to still go out");
        await NeverAsync(
            () => File.Exists(Path.Combine(local, "from-container.txt")) || File.ReadAllText(Path.Combine(local, "a.txt")) != "local",
            "a container edit came back to a --local-read-only folder");
    }

    [Fact]
    public async Task Watch_RemoteReadOnly_TakesButLocalEditDoesNotGoOut()
    {
        fixture.Require();
        var pod = LabPods.Unique("rro");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "rro", "--reload-mode", "none", "--remote-read-only");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("rro");

        // Written after the first sync: the first-sync rule (docs/architecture.md) makes a new container match the local folder first, in every mode.
        await _pods.WriteAsync(pod, "/app/seed.txt", "from the container");
        await WaitLocalAsync(Path.Combine(local, "seed.txt"), "from the container", "the container's file to arrive locally");

        File.WriteAllText(Path.Combine(local, "local-only.txt"), "local");

        // The container side still sends: a later container edit comes back, so the local edit had its chance.
        await _pods.WriteAsync(pod, "/app/later.txt", "after");
        await WaitLocalAsync(Path.Combine(local, "later.txt"), "after", "a container edit to still come back");
        await NeverAsync(
            async () => await _pods.ReadAsync(pod, "/app/local-only.txt") is not null,
            "a local edit went out from a --remote-read-only folder");
    }

    [Fact]
    public async Task Watch_SelectorMatchingThreePods_SyncsAllThree()
    {
        fixture.Require();
        var app = LabPods.Unique("three");
        string[] pods = [app + "-a", app + "-b", app + "-c"];
        foreach (var pod in pods)
        {
            await _pods.CreateAsync(pod, app);
        }

        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "a.txt"), "initial");
        await session.CreateAsync(local, "/app", "-l", $"app={app}", "--name", "three", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("three", count: 3);
        Assert.Equal(pods, (await session.ServicesAsync("three")).Select(s => s.GetProperty("pod").GetString()).Order());

        File.WriteAllText(Path.Combine(local, "a.txt"), "edited");
        foreach (var pod in pods)
        {
            await _pods.WaitFileAsync(pod, "/app/a.txt", "edited", $"the edit in {pod}");
        }
    }

    [Theory]
    [MemberData(nameof(E2EFixture.Runtimes), MemberType = typeof(E2EFixture))]
    public async Task Watch_PodDeletedAndRecreated_ResyncedAndLocalFilesWin(NodeRuntime runtime)
    {
        fixture.Require();
        var pod = LabPods.Unique("churn");

        // The image's version of the file is written at every container start, as a baked-in file would be there.
        var script = "trap 'exit 0' TERM; mkdir -p /app; echo container > /app/f.txt; while true; do sleep 1; done";
        await _pods.CreateAsync(pod, pod, script, runtime);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "f.txt"), "local");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "churn", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("churn");
        await _pods.WaitFileAsync(pod, "/app/f.txt", "local", "the local version to win in the first container");
        var firstId = await _pods.ContainerIdAsync(pod);

        await _pods.DeleteAsync(pod);
        await _pods.CreateAsync(pod, pod, script, runtime);
        var secondId = await _pods.ContainerIdAsync(pod);
        Assert.NotEqual(firstId, secondId);
        await _pods.WaitFileAsync(pod, "/app/f.txt", "local", "the local version to win in the new container");
        await Eventually.TrueAsync(
            async () => (await session.ServicesAsync("churn")) is [var s] && s.GetProperty("containerId").GetString()!.EndsWith(secondId, StringComparison.Ordinal) && s.GetProperty("status").GetString() == "watching",
            TimeSpan.FromSeconds(60),
            "get to show the new container watching");
        Assert.Equal("local", File.ReadAllText(Path.Combine(local, "f.txt")));

        File.WriteAllText(Path.Combine(local, "after.txt"), "after");
        await _pods.WaitFileAsync(pod, "/app/after.txt", "after", "a later edit in the new container");
        Assert.Equal("local", File.ReadAllText(Path.Combine(local, "f.txt")));
    }

    [Fact]
    public async Task Watch_TwoSpecsOnOneNode_BothSync()
    {
        fixture.Require();
        var first = LabPods.Unique("one");
        var second = LabPods.Unique("two");
        await _pods.CreateAsync(first, first);
        await _pods.CreateAsync(second, second);
        Assert.Equal(await _pods.NodeAsync(first), await _pods.NodeAsync(second));
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var localFirst = session.LocalFolder("first");
        var localSecond = session.LocalFolder("second");
        File.WriteAllText(Path.Combine(localFirst, "a.txt"), "first");
        File.WriteAllText(Path.Combine(localSecond, "a.txt"), "second");
        await session.CreateAsync(localFirst, "/app", "-l", $"app={first}", "--name", "first", "--reload-mode", "none");
        await session.CreateAsync(localSecond, "/app", "-l", $"app={second}", "--name", "second", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("first");
        await session.WaitWatchingAsync("second");
        await _pods.WaitFileAsync(first, "/app/a.txt", "first", "the first spec's file");
        await _pods.WaitFileAsync(second, "/app/a.txt", "second", "the second spec's file");

        File.WriteAllText(Path.Combine(localFirst, "b.txt"), "first edit");
        File.WriteAllText(Path.Combine(localSecond, "b.txt"), "second edit");
        await _pods.WaitFileAsync(first, "/app/b.txt", "first edit", "the first spec's edit");
        await _pods.WaitFileAsync(second, "/app/b.txt", "second edit", "the second spec's edit");
    }

    /// <summary>Waits until a local file has exactly <paramref name="content"/>.</summary>
    internal static Task WaitLocalAsync(string path, string content, string because)
        => Eventually.TrueAsync(() => File.Exists(path) && File.ReadAllText(path) == content, TimeSpan.FromSeconds(45), because);

    /// <summary>Watches <paramref name="happened"/> for 5 s (after a positive witness already arrived) and fails if it ever holds.</summary>
    internal static Task NeverAsync(Func<bool> happened, string what) => NeverAsync(() => Task.FromResult(happened()), what);

    /// <summary>Async form of <see cref="NeverAsync(Func{bool}, string)"/>.</summary>
    internal static async Task NeverAsync(Func<Task<bool>> happened, string what)
    {
        var window = System.Diagnostics.Stopwatch.StartNew();
        while (window.Elapsed < TimeSpan.FromSeconds(5))
        {
            Assert.False(await happened(), what);
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
