namespace KSync.Syncthing.Events;

/// <summary>What one poll of a <see cref="SyncthingEventSubscription"/> returned.</summary>
/// <param name="Events">New events, oldest first (possibly none).</param>
/// <param name="MissedEvents">
/// Events known to be lost before these: the IDs jumped (syncthing's 1,000-event buffer overflowed) or went back
/// (syncthing restarted, so the count is unknown and reported as 1). When not 0, re-read state instead of trusting
/// the event history.
/// </param>
public sealed record SyncthingEventBatch(IReadOnlyList<SyncthingEvent> Events, long MissedEvents)
{
    /// <summary>Gets a value indicating whether events were lost before this batch.</summary>
    public bool HasGap => MissedEvents > 0;
}
