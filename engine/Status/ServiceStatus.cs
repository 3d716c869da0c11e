namespace KSync.Engine.Status;

/// <summary>
/// Status of one Service (one synced container), the closed set <c>get</c> shows.
/// Transitions: Starting → Syncing (first sync) → Watching ⇄ Syncing; Starting → Watching or Syncing (resume);
/// Watching → Reloading → Watching; any set-up or followed state → Reconnecting (the link to the node broke) →
/// Watching or Syncing (resumed on a new link); any → Error (with a reason) → Starting (watch retries after a backoff).
/// </summary>
public enum ServiceStatus
{
    /// <summary>Set when the Service starts or restarts its Folder: tunnels, radar, pairing, folder config.</summary>
    Starting,

    /// <summary>Set while files move: the first sync, or a change in flight.</summary>
    Syncing,

    /// <summary>Set when both sides are in sync; watching for changes.</summary>
    Watching,

    /// <summary>Set while the container is being restarted or signalled.</summary>
    Reloading,

    /// <summary>Set when the Folder failed; the reason is kept and watch retries.</summary>
    Error,

    /// <summary>
    /// Set when the link to the container's node broke (tunnel or port-forward closed, node agent or node syncthing
    /// gone); the Service keeps since when and why, the Folder reconnects with backoff and resumes under the same
    /// folder ID.
    /// </summary>
    Reconnecting,
}
