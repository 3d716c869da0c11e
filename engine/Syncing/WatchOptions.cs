namespace KSync.Engine.Syncing;

/// <summary>Tuning of watch's syncs; the defaults are what users get.</summary>
public sealed record WatchOptions
{
    /// <summary>Gets the quiet time after the last local change landed in the container before a reload: default 500 ms.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets how long the container may take to stop on a restart before it is killed: default 2 s.</summary>
    public TimeSpan RestartGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the longest wait between attempts to reconnect a Folder whose link to the node broke: default 1 s (the first attempt is at once, then every 250 ms for 30 s, then 250 ms doubling; see ReconnectSchedule).</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how often the initial sync's progress is read: default 500 ms.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets a value indicating whether a first sync seeds the container through the node agent before syncthing takes
    /// over (docs/architecture.md, "The seed"): default true; false leaves the whole first copy to syncthing.
    /// </summary>
    public bool Seed { get; init; } = true;

    /// <summary>Gets the signal sent instead of a restart where a restart would lose the synced files: HUP.</summary>
    public string FallbackSignal { get; init; } = "HUP";
}
