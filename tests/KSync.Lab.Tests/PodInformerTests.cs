using k8s;
using k8s.Models;
using KSync.Lab.Api;
using KSync.Plugin.Cluster;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Lab.Tests;

/// <summary>The pod informer against the lab: list+watch, resume after a server restart, re-list on 410, bookmarks.</summary>
[Collection(LabGroup.Name)]
public sealed class PodInformerTests(LabFixture fixture)
{
    private static readonly PodInformerOptions s_fast = new() { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromSeconds(1) };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Informer_ReportsAddedModifiedDeleted_ForItsSelectorOnly()
    {
        using var connection = LabClients.Connect(fixture);
        var app = "inf-" + Guid.NewGuid().ToString("N")[..6];
        await using var informer = new PodInformer(connection.Client, new PodSelection("default", $"app={app}", null), NullLogger.Instance, s_fast);
        informer.Start();
        await informer.ReadyAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        var events = Collect(informer);

        await connection.Client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(app + "-a", new Dictionary<string, string> { ["app"] = app }), "default", cancellationToken: Token);
        await connection.Client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(app + "-other"), "default", cancellationToken: Token);
        await Eventually.TrueAsync(() => events.All.Any(e => e.Type == PodEventType.Modified && e.Pod.Status?.Phase == "Running"), TimeSpan.FromSeconds(60), "the pod to be reported Running");
        Assert.Equal(PodEventType.Added, events.All[0].Type);
        Assert.All(events.All, e => Assert.Equal(app + "-a", e.Pod.Metadata.Name));

        await connection.Client.CoreV1.DeleteNamespacedPodAsync(app + "-a", "default", cancellationToken: Token);
        await connection.Client.CoreV1.DeleteNamespacedPodAsync(app + "-other", "default", cancellationToken: Token);
        await Eventually.TrueAsync(() => events.All.Any(e => e.Type == PodEventType.Deleted), TimeSpan.FromSeconds(30), "the deletion");
        Assert.Empty(informer.Pods);
        Assert.True(informer.State.IsConnected);
    }

    [Fact]
    public async Task Informer_SurvivesServerRestart_AndReportsReconnecting()
    {
        var lab = fixture.LabOnly("stops the API server");
        using var connection = LabClients.Connect(lab);
        var app = "rst-" + Guid.NewGuid().ToString("N")[..6];
        await using var informer = new PodInformer(connection.Client, new PodSelection("default", $"app={app}", null), NullLogger.Instance, s_fast);
        informer.Start();
        await informer.ReadyAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        await Eventually.TrueAsync(() => informer.State.IsConnected, TimeSpan.FromSeconds(10), "connected");

        await lab.StopApiServerAsync();
        await Eventually.TrueAsync(() => !informer.State.IsConnected && informer.State.LastError is not null, TimeSpan.FromSeconds(30), "the informer to notice the outage");
        Assert.StartsWith("reconnecting since", informer.State.ToString(), StringComparison.Ordinal);
        await lab.StartApiServerAsync(Token);
        await Eventually.TrueAsync(() => informer.State.IsConnected, TimeSpan.FromSeconds(30), "the informer to reconnect");

        var events = Collect(informer);
        await connection.Client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(app, new Dictionary<string, string> { ["app"] = app }), "default", cancellationToken: Token);
        await Eventually.TrueAsync(() => events.All.Any(e => e.Type == PodEventType.Added), TimeSpan.FromSeconds(30), "an event after the restart");
        await connection.Client.CoreV1.DeleteNamespacedPodAsync(app, "default", cancellationToken: Token);
    }

    [Fact]
    public async Task Informer_Relists_On410_AndReportsWhatChangedMeanwhile()
    {
        var lab = fixture.LabOnly("compacts the history");
        using var connection = LabClients.Connect(lab);
        var app = "gone-" + Guid.NewGuid().ToString("N")[..6];
        await connection.Client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(app, new Dictionary<string, string> { ["app"] = app }), "default", cancellationToken: Token);
        await using var informer = new PodInformer(connection.Client, new PodSelection("default", $"app={app}", null), NullLogger.Instance, s_fast);
        informer.Start();
        await informer.ReadyAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Single(informer.Pods);
        var events = Collect(informer);

        // While the server is down the pod goes away and the history is compacted: resuming gets 410, so the
        // informer must list again and report the deletion it never saw as an event.
        await lab.StopApiServerAsync();
        lab.Store.Remove(ResourceKind.Pods, "default", app);
        await lab.RestartApiServerAsync(compact: true, cancellationToken: Token);
        await Eventually.TrueAsync(() => events.All.Any(e => e.Type == PodEventType.Deleted && e.Pod.Metadata.Name == app), TimeSpan.FromSeconds(30), "the deletion found by re-listing");
        Assert.Empty(informer.Pods);
    }

    [Fact]
    public async Task Informer_Bookmarks_AdvanceTheResourceVersion()
    {
        var lab = fixture.LabOnly("sets the bookmark interval");
        using var connection = LabClients.Connect(lab);
        lab.SetBookmarkInterval(TimeSpan.FromMilliseconds(200));
        try
        {
            await using var informer = new PodInformer(connection.Client, new PodSelection("default", "app=nothing-matches-this", null), NullLogger.Instance, s_fast);
            informer.Start();
            await informer.ReadyAsync(Token).WaitAsync(TimeSpan.FromSeconds(30), Token);
            var start = long.Parse(informer.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture);

            // Changes the informer does not match still move the server's version; bookmarks carry it over.
            await connection.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "bm-" + Guid.NewGuid().ToString("N")[..6] } }, cancellationToken: Token);
            await Eventually.TrueAsync(
                () => long.Parse(informer.ResourceVersion!, System.Globalization.CultureInfo.InvariantCulture) > start,
                TimeSpan.FromSeconds(10),
                "a bookmark to advance the resourceVersion");
            Assert.Empty(informer.Pods);
        }
        finally
        {
            lab.SetBookmarkInterval(TimeSpan.FromSeconds(1));
        }
    }

    private static EventCollector Collect(PodInformer informer) => new(informer);

    /// <summary>Reads an informer's events in the background; <see cref="All"/> is a snapshot.</summary>
    private sealed class EventCollector
    {
        private readonly List<PodEvent> _events = [];

        public EventCollector(PodInformer informer)
        {
            _ = Task.Run(async () =>
            {
                await foreach (var e in informer.Events.ReadAllAsync())
                {
                    lock (_events)
                    {
                        _events.Add(e);
                    }
                }
            });
        }

        public IReadOnlyList<PodEvent> All
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }
    }
}
