using KSync.Config.Model;
using KSync.Engine.Fakes;
using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KSync.Engine.Tests.Syncing;

public sealed class ServiceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly SpecDetails Spec = new() { Name = "api", Selector = ["app=api"], LocalPath = "/src", RemotePath = "/app" };

    [Fact]
    public async Task AFolderFailure_IsShownAndRetried()
    {
        var folders = new FakeFolderFactory { FailuresLeft = 1 };
        var time = new FakeTimeProvider();
        await using var service = new Service(Spec, Containers.Make("api-1"), folders, new StatusBoard(), NullLogger.Instance, time);
        service.Start();

        await Eventually.TrueAsync(() => service.State.Snapshot.Status == ServiceStatus.Error, Wait, "the failure shown");
        Assert.Equal("tunnel broke", service.State.Snapshot.LastError);
        time.Advance(TimeSpan.FromSeconds(30)); // the longest retry delay
        await Eventually.TrueAsync(() => service.State.Snapshot.Status == ServiceStatus.Watching, Wait, "the retry watching");
        Assert.Equal(2, folders.Created.Count);
    }

    [Fact]
    public async Task AnErrorThrownWhileStopping_IsNotAFailure()
    {
        // What a Folder does when watch stops: its token is cancelled, then a gate torn down under it throws.
        var folders = new FakeFolderFactory { ThrowsDisposedOnStop = true };
        var service = new Service(Spec, Containers.Make("api-1"), folders, new StatusBoard(), NullLogger.Instance, new FakeTimeProvider());
        service.Start();
        await Eventually.TrueAsync(() => service.State.Snapshot.Status == ServiceStatus.Watching, Wait, "watching");

        await service.DisposeAsync();

        Assert.Equal(ServiceStatus.Watching, service.State.Snapshot.Status);
        Assert.Equal(string.Empty, service.State.Snapshot.LastError);
        Assert.Single(folders.Created);
    }
}
