namespace KSync.Engine.FolderEvents;

/// <summary>
/// Picks out the entries a first sync removes from the container (docs/architecture.md, "The seed": deletions stay
/// with syncthing). The first sync's revert deletes what only the container holds, and the node syncthing reports each
/// such deletion as an <c>ItemFinished</c> with action <c>delete</c>; ignored files are never reverted, so every such
/// item is a file present in the container, absent locally and not ignored. Only the node's deletions between
/// <see cref="Open"/> (the first sync starts) and <see cref="Close"/> (its end was taken in) count: later deletions are
/// the user's local deletions arriving. Thread-safe: events arrive on the event hub's thread.
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

    /// <summary>Tells whether an input is a removal of the first sync.</summary>
    /// <param name="input">A folder input.</param>
    /// <returns>The removed entry's path relative to the folder ("?" when syncthing gave none), or null when it is not a removal.</returns>
    public string? Take(FolderInput input) =>
        _open && input is FolderInput.ItemSynced { Side: FolderSide.Node, Action: "delete" } item ? item.Item ?? "?" : null;
}
