namespace KSync.Engine.Status;

/// <summary>
/// Status of one Service (one synced container), the closed set <c>get</c> shows.
/// Transitions: Starting → Syncing (initial sync) → Watching ⇄ Syncing; Watching → Reloading → Watching;
/// any → Error (with a reason) → Starting (watch retries after a backoff).
/// </summary>
public enum ServiceStatus
{
    /// <summary>Set when the Service starts or restarts its Folder: tunnels, radar, pairing, folder config.</summary>
    Starting,

    /// <summary>Set while files move: the initial sync, or a change in flight.</summary>
    Syncing,

    /// <summary>Set when both sides are in sync; watching for changes.</summary>
    Watching,

    /// <summary>Set while the container is being restarted or signalled.</summary>
    Reloading,

    /// <summary>Set when the Folder failed; the reason is kept and watch retries.</summary>
    Error,
}
