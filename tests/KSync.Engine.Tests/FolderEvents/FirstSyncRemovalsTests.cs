using System.Text.Json;
using KSync.Engine.FolderEvents;
using KSync.Syncthing.Events;

namespace KSync.Engine.Tests.FolderEvents;

/// <summary>
/// Which events are the first sync's removals from the container (docs/architecture.md, "The seed": nothing disappears
/// silently): the node's <c>LocalChangeDetected</c> deletions, which syncthing raises for what its revert deleted,
/// while a first sync is open. Event shapes as syncthing 1.19 sends them.
/// </summary>
public sealed class FirstSyncRemovalsTests
{
    private static SyncthingEvent Changed(string action, string path, string type = "file") => new()
    {
        Id = 1,
        Type = "LocalChangeDetected",
        Data = JsonDocument.Parse($$"""{"folder":"f","folderID":"f","label":"l","action":"{{action}}","type":"{{type}}","path":"{{path}}","modifiedBy":"ABCDEFG"}""").RootElement.Clone(),
    };

    private static SyncthingEvent Finished(string action, string item) => new()
    {
        Id = 2,
        Type = "ItemFinished",
        Data = JsonDocument.Parse($$"""{"folder":"f","item":"{{item}}","action":"{{action}}","error":null,"type":"file"}""").RootElement.Clone(),
    };

    [Fact]
    public void WhileOpen_TheNodesDeletions_Count()
    {
        var removals = new FirstSyncRemovals();
        removals.Open();

        Assert.Equal("old/remote-only.txt", removals.Take(FolderSide.Node, Changed("deleted", "old/remote-only.txt")));
        Assert.Equal("old", removals.Take(FolderSide.Node, Changed("deleted", "old", "dir")));
    }

    [Fact]
    public void WhileOpen_NoOtherEventCounts()
    {
        var removals = new FirstSyncRemovals();
        removals.Open();

        // A change the node scanned, a local deletion, and items the node pulled (a local deletion arriving) are not
        // the revert's removals.
        Assert.Null(removals.Take(FolderSide.Node, Changed("modified", "src/a.py")));
        Assert.Null(removals.Take(FolderSide.Local, Changed("deleted", "src/b.py")));
        Assert.Null(removals.Take(FolderSide.Node, Finished("delete", "src/c.py")));
    }

    [Fact]
    public void BeforeOpenAndAfterClose_NothingCounts()
    {
        var removals = new FirstSyncRemovals();

        var before = removals.Take(FolderSide.Node, Changed("deleted", "a"));
        removals.Open();
        removals.Close();
        var after = removals.Take(FolderSide.Node, Changed("deleted", "b"));

        Assert.Null(before);
        Assert.Null(after);
        Assert.False(removals.IsOpen);
    }
}
