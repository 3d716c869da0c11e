namespace KSync.Syncthing.Scanning;

/// <summary>A batch of local changes the fast path is about to have syncthing scan.</summary>
public sealed class ChangesSeenEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="paths">Relative <c>/</c>-separated path → when the watcher first reported it in this batch.</param>
    public ChangesSeenEventArgs(IReadOnlyDictionary<string, long> paths)
    {
        Paths = paths;
    }

    /// <summary>
    /// Gets the changed paths (relative, <c>/</c>-separated) with the timestamp of their first watcher event in the
    /// batch, from the trigger's <see cref="TimeProvider.GetTimestamp"/> (monotonic; compare only with timestamps of the
    /// same provider).
    /// </summary>
    public IReadOnlyDictionary<string, long> Paths { get; }
}
