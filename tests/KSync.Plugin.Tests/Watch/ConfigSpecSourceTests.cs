using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Plugin.Watch;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Plugin.Tests.Watch;

/// <summary>watch's spec source: ksync.yaml followed live, through the real store and follower.</summary>
public sealed class ConfigSpecSourceTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new("ksync-specsource");
    private readonly CancellationTokenSource _stop = new();
    private ConfigStore _store = null!;
    private IAsyncEnumerator<ResolvedSpecs> _specs = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new ConfigStore(_dir.Combine("ksync.yaml"));
        await _store.UpdateAsync(c => c.Spec.Add(new SpecDetails { Name = "api", Selector = ["app=api"], LocalPath = _dir.Path, RemotePath = "/app" }), Ct);
        var source = new ConfigSpecSource(new ConfigFollower(_store, NullLogger.Instance, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)));
        _specs = source.FollowAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _specs.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task FollowAsync_YieldsTheSpecsThenEveryEdit()
    {
        var first = await NextAsync();
        Assert.Equal([("api", "/app")], first.Select(s => (s.Name, s.RemotePath)));

        await _store.UpdateAsync(
            c =>
            {
                c.Spec[0].RemotePath = "/moved";
                c.Spec.Add(new SpecDetails { Name = "web", Selector = ["app=web"], LocalPath = _dir.Path, RemotePath = "/srv" });
            },
            Ct);

        var edited = await NextAsync();
        Assert.Equal([("api", "/moved"), ("web", "/srv")], edited.Select(s => (s.Name, s.RemotePath)));
    }

    [Fact]
    public async Task FollowAsync_FileStopsParsing_NothingYieldedUntilFixed()
    {
        await NextAsync();

        await File.WriteAllTextAsync(_store.Path, "spec: [\n  broken", Ct);
        var next = _specs.MoveNextAsync().AsTask();
        await Task.Delay(600, Ct);
        Assert.False(next.IsCompleted);

        await File.WriteAllTextAsync(_store.Path, $"spec:\n- name: web\n  selector: [app=web]\n  localpath: {_dir.Path}\n  remotepath: /srv\n", Ct);
        Assert.True(await next.WaitAsync(Wait, Ct));
        Assert.Equal(["web"], _specs.Current.Details.Select(s => s.Name));
    }

    private async Task<IReadOnlyList<SpecDetails>> NextAsync()
    {
        Assert.True(await _specs.MoveNextAsync().AsTask().WaitAsync(Wait, Ct));
        return _specs.Current.Details;
    }
}
