using KSync.Syncthing.Client;
using KSync.Syncthing.Events;
using KSync.Syncthing.Tests.Fixtures;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Client;

/// <summary>Events: subscribe before acting (real syncthing), and gap detection (scripted answers).</summary>
public sealed class EventSubscriptionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Subscribe_ThenAct_EventOfTheActionIsSeen()
    {
        await using var node = await SyncthingNode.StartAsync("a", Token);
        var stream = await SyncthingEventSubscription.SubscribeAsync(node.Client, ["ConfigSaved", "StateChanged"], Token);
        var path = node.DataPath("ev");

        await node.Client.AddFolderAsync(new FolderConfiguration { Id = "ev", Path = path, Type = FolderType.SendReceive }, Token);

        var seen = new List<SyncthingEvent>();
        await Eventually.TrueAsync(
            async () =>
            {
                var batch = await stream.NextAsync(TimeSpan.FromSeconds(1), Token);
                seen.AddRange(batch.Events);
                return seen.Any(e => e.Type == "StateChanged" && e.DataString("folder") == "ev");
            },
            TimeSpan.FromSeconds(20),
            "a StateChanged event of the new folder");
        Assert.Contains(seen, e => e.Type == "ConfigSaved");
        Assert.Equal(0, stream.MissedEvents);
        Assert.True(stream.LastId >= seen.Count);
    }

    [Fact]
    public async Task Next_IdsJump_ReportsMissedEvents()
    {
        var handler = new ScriptedHandler(
            "[]",
            """[{"id":1,"globalID":10,"type":"StateChanged","time":"2026-01-01T00:00:00Z","data":{"folder":"f"}},{"id":2,"globalID":11,"type":"StateChanged","time":"2026-01-01T00:00:00Z","data":{}}]""",
            """[{"id":1500,"globalID":2000,"type":"ItemFinished","time":"2026-01-01T00:00:01Z","data":{"item":"a.txt"}}]""",
            """[{"id":3,"globalID":1,"type":"StateChanged","time":"2026-01-01T00:00:02Z","data":{}}]""");
        using var client = new SyncthingClient(new Uri("http://127.0.0.1:1/"), "key", handler: handler);
        var stream = await SyncthingEventSubscription.SubscribeAsync(client, ["StateChanged", "ItemFinished"], Token);

        var first = await stream.NextAsync(TimeSpan.Zero, Token);
        var jumped = await stream.NextAsync(TimeSpan.Zero, Token);
        var restarted = await stream.NextAsync(TimeSpan.Zero, Token);

        Assert.False(first.HasGap);
        Assert.Equal("f", first.Events[0].DataString("folder"));
        Assert.Equal(1497, jumped.MissedEvents);
        Assert.True(restarted.HasGap);
        Assert.Equal(1498, stream.MissedEvents);
        Assert.Contains("since=2&events=StateChanged%2CItemFinished&timeout=0", handler.Requests[2].RequestUri!.Query, StringComparison.Ordinal);
    }
}
