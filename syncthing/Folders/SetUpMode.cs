namespace KSync.Syncthing.Folders;

/// <summary>How <see cref="SharedFolder.SetUpAsync"/> sets a folder up (docs/architecture.md, "The first-sync rule" and "The resume rule").</summary>
public enum SetUpMode
{
    /// <summary>
    /// Files ksync has never synced: the local folder is the source of truth. The remote starts receiveonly and has
    /// its own differences reverted until it holds exactly the local state; then each side takes its type.
    /// </summary>
    FirstSync,

    /// <summary>
    /// Files ksync has synced before: each side gets its configured type at once, only what changed is exchanged,
    /// changes of both sides merge and a file changed on both keeps a conflict copy. A receiveonly remote
    /// (<see cref="SyncDirection.LocalReadOnly"/>) has its own changes reverted, as in a first sync.
    /// </summary>
    Resume,
}
