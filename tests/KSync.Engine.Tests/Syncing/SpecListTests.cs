using KSync.Config.Model;
using KSync.Engine.Fakes;
using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KSync.Engine.Tests.Syncing;

public sealed class SpecListTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new("ksync-speclist");
    private readonly FakeSpecSource _specs = new();
    private readonly FakeContainerSource _source = new();
    private readonly FakeFolderFactory _folders = new();
    private readonly FakeTimeProvider _time = new();
    private readonly StatusBoard _board = new();
    private readonly SpecList _list;
    private readonly CancellationTokenSource _stop = new();
    private Task _run = Task.CompletedTask;

    public SpecListTests()
    {
        Directory.CreateDirectory(_dir.Combine("src"));
        _list = new SpecList(
            _specs,
            details => new Spec(details, _source, (d, c) => new Service(d, c, _folders, _board, NullLogger.Instance, _time), _board, NullLogger.Instance),
            _board,
            NullLogger.Instance);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        await _list.DisposeAsync();
        _dir.Dispose();
    }

    private SpecDetails Details(string name, string remote = "/app") => new() { Name = name, Selector = ["app=api"], LocalPath = _dir.Combine("src"), RemotePath = remote };

    private async Task StartAsync(params SpecDetails[] specs)
    {
        _specs.Publish(specs);
        _run = _list.RunAsync(_stop.Token);
        await Eventually.TrueAsync(() => _list.Items.Count == specs.Length, Wait, "specs to start");
    }

    private Spec SpecNamed(string name) => _list.Items.Single(s => s.Details.Name == name);

    [Fact]
    public async Task MatchingContainers_GetOneServiceEach()
    {
        await StartAsync(Details("api"));

        _source.Publish("api", Containers.Make("api-1"), Containers.Make("api-2"), Containers.Make("api-3"));

        await Eventually.TrueAsync(() => _folders.Created.Count == 3, Wait, "three folders");
        Assert.Equal(["api-1", "api-2", "api-3"], SpecNamed("api").Services.Items.Select(s => s.Container.PodName));
        Assert.Equal(SpecStatus.Active, SpecNamed("api").Status.Status);
        await Eventually.TrueAsync(() => SpecNamed("api").Services.Items.All(s => s.State.Snapshot.Status == ServiceStatus.Watching), Wait, "services watching");
    }

    [Fact]
    public async Task InSyncBarrier_RescansOncePerFolder_AndAgainOnANewOne()
    {
        await StartAsync(Details("api"));
        _source.Publish("api", Containers.Make("api-1"));
        await Eventually.TrueAsync(() => SpecNamed("api").Services.Items.All(s => s.State.Snapshot.Status == ServiceStatus.Watching) && SpecNamed("api").Services.Items.Count == 1, Wait, "service watching");
        var service = SpecNamed("api").Services.Items.Single();
        var rescanned = new HashSet<IFolder>();

        var first = await service.CheckInSyncAsync(rescanned, TestContext.Current.CancellationToken);
        var second = await service.CheckInSyncAsync(rescanned, TestContext.Current.CancellationToken);
        var another = await service.CheckInSyncAsync(new HashSet<IFolder>(), TestContext.Current.CancellationToken);

        Assert.Null(first);
        Assert.Null(second);
        Assert.Null(another);
        Assert.Equal(2, _folders.Created.Single().Rescans);
    }

    [Fact]
    public async Task NoMatch_IsWaitingWithReason()
    {
        await StartAsync(Details("api"));

        _source.Publish("api");

        await Eventually.TrueAsync(() => SpecNamed("api").Status.Reason.Contains("no running pods matching app=api in namespace default", StringComparison.Ordinal), Wait, "waiting reason");
        Assert.Equal(SpecStatus.Waiting, SpecNamed("api").Status.Status);
    }

    [Fact]
    public async Task PodGone_StopsItsService()
    {
        await StartAsync(Details("api"));
        _source.Publish("api", Containers.Make("api-1"), Containers.Make("api-2"));
        await Eventually.TrueAsync(() => _folders.Created.Count == 2, Wait, "two folders");

        _source.Publish("api", Containers.Make("api-2"));

        var gone = _folders.Created.Single(f => f.Container.PodName == "api-1");
        await gone.Stopped.WaitAsync(Wait, TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => SpecNamed("api").Services.Items.Count == 1, Wait, "one service left");
    }

    [Fact]
    public async Task ContainerIdChanged_ReplacesService()
    {
        await StartAsync(Details("api"));
        _source.Publish("api", Containers.Make("api-1", id: "docker://old"));
        await Eventually.TrueAsync(() => _folders.Created.Count == 1, Wait, "first folder");

        _source.Publish("api", Containers.Make("api-1", id: "docker://new"));

        await Eventually.TrueAsync(() => _folders.Created.Count == 2, Wait, "second folder");
        var first = _folders.Created.First();
        await first.Stopped.WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.Equal("docker://new", SpecNamed("api").Services.Items.Single().Container.ContainerId);
    }

    [Fact]
    public async Task SpecEdited_RestartsItsSyncsWithNewDetails()
    {
        await StartAsync(Details("api"));
        _source.Publish("api", Containers.Make("api-1"));
        await Eventually.TrueAsync(() => _folders.Created.Count == 1, Wait, "first folder");

        _specs.Publish(Details("api", "/moved"));
        await Eventually.TrueAsync(() => SpecNamed("api").Details.RemotePath == "/moved", Wait, "edit applied");
        _source.Publish("api", Containers.Make("api-1"));

        await Eventually.TrueAsync(() => _folders.Created.Count == 2, Wait, "folder for new details");
        await _folders.Created.First().Stopped.WaitAsync(Wait, TestContext.Current.CancellationToken);
        Assert.Equal("/moved", _folders.Created.Last().Spec.RemotePath);
    }

    [Fact]
    public async Task SpecAddedAndDeleted_WhileRunning()
    {
        await StartAsync(Details("api"));
        _source.Publish("api", Containers.Make("api-1"));
        await Eventually.TrueAsync(() => _folders.Created.Count == 1, Wait, "first folder");

        _specs.Publish(Details("api"), Details("web", "/srv"));
        await Eventually.TrueAsync(() => _list.Items.Count == 2, Wait, "web added");
        _specs.Publish(Details("web", "/srv"));

        await _folders.Created.First().Stopped.WaitAsync(Wait, TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => _list.Items.Select(s => s.Details.Name).SequenceEqual(["web"]), Wait, "api removed");
    }

    [Fact]
    public async Task SameSpecsAgain_KeepRunning()
    {
        await StartAsync(Details("api"));
        _source.Publish("api", Containers.Make("api-1"));
        await Eventually.TrueAsync(() => _folders.Created.Count == 1, Wait, "first folder");
        var before = SpecNamed("api");

        _specs.Publish(Details("api"), Details("web", "/srv"));
        await Eventually.TrueAsync(() => _list.Items.Count == 2, Wait, "web added");

        Assert.Same(before, SpecNamed("api"));
        Assert.False(_folders.Created.Single().Stopped.IsCompleted);
    }

    [Fact]
    public async Task InvalidSpec_IsErrorOthersRun()
    {
        var bad = Details("bad");
        bad.Selector = [];
        await StartAsync(bad, Details("good"));

        _source.Publish("good", Containers.Make("good-1"));

        await Eventually.TrueAsync(() => _folders.Created.Count == 1, Wait, "good syncs");
        Assert.Equal(SpecStatus.Error, SpecNamed("bad").Status.Status);
        Assert.Contains("neither a pod nor a selector", SpecNamed("bad").Status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderFails_ServiceShowsErrorThenRetries()
    {
        _folders.FailuresLeft = 1;
        await StartAsync(Details("api"));

        _source.Publish("api", Containers.Make("api-1"));

        var service = await WaitForServiceAsync("api");
        await Eventually.TrueAsync(() => service.State.Snapshot.Status == ServiceStatus.Error, Wait, "error status");
        Assert.Equal("tunnel broke", service.State.Snapshot.LastError);
        _time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => service.State.Snapshot.Status == ServiceStatus.Watching, Wait, "retried");
        Assert.Equal(2, _folders.Created.Count);
    }

    [Fact]
    public async Task Reload_ReachesEveryContainerOfSpec()
    {
        await StartAsync(Details("api"));
        _source.Publish("api", Containers.Make("api-1"), Containers.Make("api-2"), Containers.Make("api-3"));
        await Eventually.TrueAsync(() => SpecNamed("api").Services.Items.All(s => s.State.Snapshot.Status == ServiceStatus.Watching) && _folders.Created.Count == 3, Wait, "watching");

        var outcomes = await SpecNamed("api").ReloadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["api-1", "api-2", "api-3"], outcomes.Select(o => o.Outcome.Message));
    }

    private async Task<Service> WaitForServiceAsync(string spec)
    {
        await Eventually.TrueAsync(() => SpecNamed(spec).Services.Items.Count > 0, Wait, "a service");
        return SpecNamed(spec).Services.Items[0];
    }
}
