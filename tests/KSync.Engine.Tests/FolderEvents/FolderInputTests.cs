using System.Text.Json;
using KSync.Engine.FolderEvents;
using KSync.Syncthing.Events;
using Input = KSync.Engine.FolderEvents.FolderInput;

namespace KSync.Engine.Tests.FolderEvents;

/// <summary>Which syncthing events (syncthing REST: Event API) become inputs of the Folder's state machine.</summary>
public sealed class FolderInputTests
{
    private static readonly DateTimeOffset When = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SyncthingEvent Event(string type, string data, DateTimeOffset time = default)
        => new() { Id = 1, Type = type, Time = time, Data = JsonDocument.Parse(data).RootElement.Clone() };

    [Fact]
    public void StateChanged_GivesTheNewStateAndItsTime()
    {
        var input = Input.FromSyncthing(FolderSide.Node, Event("StateChanged", """{"folder":"f","from":"idle","to":"syncing"}""", When));
        var untimed = Input.FromSyncthing(FolderSide.Local, Event("StateChanged", """{"folder":"f","from":"syncing","to":"idle"}"""));

        Assert.Equal(new Input.StateChanged(FolderSide.Node, "syncing", When), input);
        Assert.Equal(new Input.StateChanged(FolderSide.Local, "idle", null), untimed);
    }

    [Fact]
    public void ItemFinished_WithoutError_GivesTheItemAndItsTime()
    {
        var input = Input.FromSyncthing(FolderSide.Local, Event("ItemFinished", """{"folder":"f","item":"src/a.py","action":"update","error":null,"type":"file"}""", When));

        Assert.Equal(new Input.ItemSynced(FolderSide.Local, When, "update", "src/a.py"), input);
    }

    [Fact]
    public void LocalChangeDetected_GivesTheSideAndTheItem()
    {
        var input = Input.FromSyncthing(FolderSide.Local, Event("LocalChangeDetected", """{"folder":"f","folderID":"f","label":"l","action":"modified","type":"file","path":"src/a.py"}""", When));

        Assert.Equal(new Input.ChangeDetected(FolderSide.Local, "src/a.py"), input);
    }

    [Fact]
    public void ItemFinished_WithoutTime_TimeIsUnknown()
    {
        var input = Input.FromSyncthing(FolderSide.Node, Event("ItemFinished", """{"folder":"f","item":"a","action":"delete"}"""));

        Assert.Equal(new Input.ItemSynced(FolderSide.Node, null, "delete", "a"), input);
    }

    [Fact]
    public void ItemFinished_WithError_GivesNothing()
    {
        var input = Input.FromSyncthing(FolderSide.Node, Event("ItemFinished", """{"folder":"f","item":"a","action":"update","error":"permission denied"}""", When));

        Assert.Null(input);
    }

    [Theory]
    [InlineData("LocalIndexUpdated")]
    [InlineData("RemoteIndexUpdated")]
    [InlineData("FolderCompletion")]
    public void OtherEvents_GiveNothing(string type)
    {
        Assert.Null(Input.FromSyncthing(FolderSide.Local, Event(type, """{"folder":"f"}""", When)));
    }
}
