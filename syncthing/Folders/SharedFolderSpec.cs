using KSync.Syncthing.Ignores;

namespace KSync.Syncthing.Folders;

/// <summary>What one synced folder is: its ID, both paths, direction, ignores and tuning.</summary>
public sealed record SharedFolderSpec
{
    /// <summary>Gets the syncthing folder ID, the same on both sides (unique per spec and container).</summary>
    public required string FolderId { get; init; }

    /// <summary>Gets the display label; null uses <see cref="FolderId"/>.</summary>
    public string? Label { get; init; }

    /// <summary>Gets the absolute path of the local folder.</summary>
    public required string LocalPath { get; init; }

    /// <summary>Gets the folder's path as the remote syncthing sees it (e.g. a node path radar returned).</summary>
    public required string RemotePath { get; init; }

    /// <summary>Gets which way changes flow; default <see cref="SyncDirection.TwoWay"/>.</summary>
    public SyncDirection Direction { get; init; } = SyncDirection.TwoWay;

    /// <summary>Gets what is ignored besides the user's <c>.stignore</c>.</summary>
    public IgnoreSettings Ignores { get; init; } = new();

    /// <summary>Gets how many conflict copies syncthing keeps per file; always more than 0 (default 10, syncthing's default).</summary>
    public int MaxConflicts { get; init; } = 10;

    /// <summary>Gets a value indicating whether ksync's own watcher triggers targeted scans (the fast path); default true.</summary>
    public bool FastPath { get; init; } = true;

    /// <summary>Gets the fast path's debounce window (the longest a change waits; a batch closes earlier after 5 ms of quiet); null for 25 ms.</summary>
    public TimeSpan? Debounce { get; init; }

    /// <summary>
    /// Gets syncthing's own watcher delay on both sides (the safety net, and the remote's change detection); null for
    /// the lowest the version accepts (1 s before 1.23, 10 ms after). syncthing's default is 10 s.
    /// </summary>
    public TimeSpan? WatcherDelay { get; init; }

    /// <summary>Gets the full rescan interval in seconds; default 3,600 (syncthing's default).</summary>
    public int RescanIntervalS { get; init; } = 3600;

    /// <summary>
    /// Gets a value indicating whether the remote side gives what it creates the owner of the directory it lands in
    /// (syncthing's <c>copyOwnershipFromParent</c>, since 1.1; needs CAP_CHOWN, and a refused chown fails the item, so
    /// set it only where the owner of the folder root could be set).
    /// </summary>
    public bool RemoteCopiesOwner { get; init; }

    /// <summary>Gets how long the first sync of a new remote may take before <see cref="SharedFolder.SetUpAsync"/> fails; default 10 minutes.</summary>
    public TimeSpan FirstSyncTimeout { get; init; } = TimeSpan.FromMinutes(10);
}
