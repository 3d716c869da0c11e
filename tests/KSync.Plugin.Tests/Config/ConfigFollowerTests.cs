using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Testing;

namespace KSync.Plugin.Tests.Config;

/// <summary>The follower with both files on disk: live edits of the project's file, a broken one, a link made later.</summary>
public sealed class ConfigFollowerTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new("ksync-follower");
    private readonly KsyncHome _home;
    private readonly FakeLogger _logger = new();
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private readonly IAsyncEnumerator<ResolvedSpecs> _specs;

    public ConfigFollowerTests()
    {
        _home = new KsyncHome(_dir.Combine("home")).EnsureExists();
        Directory.CreateDirectory(_dir.Combine("repo/.devcontainer"));
        Directory.CreateDirectory(_dir.Combine("repo/src"));
        var follower = new ConfigFollower(
            new ConfigStore(_home.ConfigFile),
            _logger,
            TimeSpan.FromMilliseconds(20),
            TimeSpan.FromMilliseconds(300),
            () => ProjectFile.Locate(_home, _ => null, _dir.Path));
        _specs = follower.FollowAsync(_stop.Token).GetAsyncEnumerator();
    }

    private string ProjectPath => _dir.Combine("repo/.devcontainer/ksync.yaml");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _specs.DisposeAsync();
        _stop.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Follow_ProjectFileEditedWhileFollowing_YieldsItsNewSpecs()
    {
        WriteProject(("api", "../src", "/app"));
        File.CreateSymbolicLink(_home.ProjectLink, ProjectPath);
        Assert.Equal([("api", _dir.Combine("repo/src"))], Names(await NextAsync()));

        WriteProject(("api", "../src", "/app"), ("web", "../src", "/srv"));

        Assert.Equal([("api", _dir.Combine("repo/src")), ("web", _dir.Combine("repo/src"))], Names(await NextAsync()));
    }

    [Fact]
    public async Task Follow_ProjectFileBroken_KeepsItsLastGoodSpecs_AndUserEditsStillApply()
    {
        WriteProject(("api", "../src", "/app"));
        File.CreateSymbolicLink(_home.ProjectLink, ProjectPath);
        await NextAsync();

        // The follower reads while the consumer waits for the next specs, as SpecList always does.
        var pending = _specs.MoveNextAsync().AsTask();
        File.WriteAllText(ProjectPath, "spec: [\n");
        await Eventually.TrueAsync(() => Task.FromResult(_logger.Collector.GetSnapshot().Any(r => r.Message.Contains($"{ProjectPath}:2:", StringComparison.Ordinal))), Wait, "the parse error to be logged");
        Assert.False(pending.IsCompleted, "a broken project file changed the specs");
        await new ConfigStore(_home.ConfigFile).UpdateAsync(c => c.Spec.Add(new SpecDetails { Name = "mine", Selector = ["app=x"], LocalPath = _dir.Path, RemotePath = "/x" }), TestContext.Current.CancellationToken);

        Assert.True(await pending.WaitAsync(Wait, TestContext.Current.CancellationToken));
        var next = _specs.Current;

        Assert.Equal([("mine", _dir.Path), ("api", _dir.Combine("repo/src"))], Names(next));
        Assert.Equal(SpecSourceKind.Project, next.Specs[1].Source.Kind);
    }

    [Fact]
    public async Task Follow_LinkMadeAfterStart_AddsTheProjectSpecs()
    {
        WriteProject(("api", "../src", "/app"));
        Assert.Empty((await NextAsync()).Specs);

        File.CreateSymbolicLink(_home.ProjectLink, ProjectPath);

        var next = await NextAsync();
        Assert.Equal([("api", _dir.Combine("repo/src"))], Names(next));
        Assert.Equal(new SpecSource(SpecSourceKind.Project, ProjectPath), next.Specs[0].Source);
    }

    [Fact]
    public async Task Follow_UsersFileBrokenAtStart_Throws()
    {
        File.WriteAllText(_home.ConfigFile, "spec: [\n");

        var error = await Assert.ThrowsAsync<ConfigFileException>(async () => await NextAsync());

        Assert.StartsWith($"{_home.ConfigFile}:2:", error.Message, StringComparison.Ordinal);
    }

    private static (string Name, string Local)[] Names(ResolvedSpecs specs) => [.. specs.Specs.Select(s => (s.Details.Name, s.Details.LocalPath))];

    private async Task<ResolvedSpecs> NextAsync()
    {
        Assert.True(await _specs.MoveNextAsync().AsTask().WaitAsync(Wait, TestContext.Current.CancellationToken), "the follower ended");
        return _specs.Current;
    }

    private void WriteProject(params (string Name, string Local, string Remote)[] specs)
    {
        // Replaced by rename, as editors and ksync itself write files.
        var temp = ProjectPath + ".tmp";
        File.WriteAllText(temp, "spec:\n" + string.Concat(specs.Select(s => $"- name: {s.Name}\n  selector: [app={s.Name}]\n  localpath: {s.Local}\n  remotepath: {s.Remote}\n")));
        File.Move(temp, ProjectPath, overwrite: true);
    }
}
