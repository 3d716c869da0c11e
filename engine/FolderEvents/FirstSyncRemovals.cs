using KSync.Syncthing.Events;

namespace KSync.Engine.FolderEvents;

/// <summary>
/// Picks out the entries a first sync removes from the container (docs/architecture.md, "The seed": deletions stay
/// with syncthing, and nothing disappears silently). The first sync's revert (<c>POST /rest/db/revert</c>) deletes
/// what only the container holds straight from disk, without the puller, so no <c>ItemFinished</c> follows; it records
/// each deletion in the node syncthing's index the way a scan does, which raises a <c>LocalChangeDetected</c> with
/// action <c>deleted</c> (syncthing REST: Event API). Ignored entries are never reverted, and a deletion the scanner
/// finds in a receive-only folder is flagged invalid and raises no such event, so during a first sync every such event
/// is an entry that was in the container, is not in the local folder and is not ignored. Only the node's events between
/// <see cref="Open"/> (the first sync starts) and <see cref="Close"/> (its end was taken in) count. Thread-safe:
/// events arrive on the event hub's thread.
/// </summary>
public sealed class FirstSyncRemovals
{
    private volatile bool _open;

    /// <summary>Gets a value indicating whether node deletions count now.</summary>
    public bool IsOpen => _open;

    /// <summary>Starts counting: a first sync begins.</summary>
    public void Open() => _open = true;

    /// <summary>Stops counting: the first sync's end was taken in, or its session ended.</summary>
    public void Close() => _open = false;

    /// <summary>Tells whether a syncthing event about the folder is a removal of the first sync.</summary>
    /// <param name="side">Which syncthing raised it.</param>
    /// <param name="syncthingEvent">The event.</param>
    /// <returns>The removed entry's path relative to the folder ("?" when syncthing gave none), or null when it is not a removal.</returns>
    public string? Take(FolderSide side, SyncthingEvent syncthingEvent)
    {
        ArgumentNullException.ThrowIfNull(syncthingEvent);
        return _open && side == FolderSide.Node && syncthingEvent.Type == "LocalChangeDetected" && syncthingEvent.DataString("action") == "deleted"
            ? syncthingEvent.DataString("path") ?? "?"
            : null;
    }
}
