using System.Text.Json;
using KSync.Engine.FolderEvents;
using KSync.Syncthing.Events;
using Input = KSync.Engine.FolderEvents.FolderInput;

namespace KSync.Engine.Tests.FolderEvents;

/// <summary>
/// Which inputs are the first sync's removals from the container (docs/architecture.md, "The seed": deletions stay with
/// syncthing, and nothing disappears silently): the node's deletions while a first sync is open, from real event shapes.
/// </summary>
public sealed class FirstSyncRemovalsTests
{
    private static Input Item(FolderSide side, string action, string item) =>
        Input.FromSyncthing(side, new SyncthingEvent
        {
            Id = 1,
            Type = "ItemFinished",
            Data = JsonDocument.Parse($$"""{"folder":"f","item":"{{item}}","action":"{{action}}","error":null,"type":"file"}""").RootElement.Clone(),
        })!;

    [Fact]
    public void WhileOpen_TheNodesDeletionsCount_ButNotUpdatesOrLocalDeletions()
    {
        var removals = new FirstSyncRemovals();
        removals.Open();

        Assert.Equal("old/remote-only.txt", removals.Take(Item(FolderSide.Node, "delete", "old/remote-only.txt")));
        Assert.Null(removals.Take(Item(FolderSide.Node, "update", "src/a.py")));
        Assert.Null(removals.Take(Item(FolderSide.Local, "delete", "src/b.py")));
        Assert.Null(removals.Take(new Input.ChangeDetected(FolderSide.Node, "x")));
    }

    [Fact]
    public void BeforeOpenAndAfterClose_NothingCounts()
    {
        var removals = new FirstSyncRemovals();

        var before = removals.Take(Item(FolderSide.Node, "delete", "a"));
        removals.Open();
        removals.Close();
        var after = removals.Take(Item(FolderSide.Node, "delete", "b"));

        Assert.Null(before);
        Assert.Null(after);
        Assert.False(removals.IsOpen);
    }

    [Fact]
    public void AFailedItem_IsNoRemoval()
    {
        var removals = new FirstSyncRemovals();
        removals.Open();
        var failed = Input.FromSyncthing(FolderSide.Node, new SyncthingEvent
        {
            Id = 2,
            Type = "ItemFinished",
            Data = JsonDocument.Parse("""{"folder":"f","item":"a","action":"delete","error":"permission denied","type":"file"}""").RootElement.Clone(),
        });

        Assert.True(failed is null || removals.Take(failed) is null);
    }
}
