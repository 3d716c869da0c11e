using KSync.Syncthing.Client;

namespace KSync.Syncthing.Events;

/// <summary>
/// A subscription to syncthing events of some types, read by long polls of <c>GET /rest/events</c> (syncthing docs
/// "Event API"), with gap detection. syncthing creates the subscription on the first call with a given type list and
/// drops earlier events, so <see cref="SubscribeAsync"/> makes that call before the caller acts.
/// </summary>
public sealed class SyncthingEventSubscription
{
    /// <summary>Default long-poll time of <see cref="NextAsync"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultPollTimeout = TimeSpan.FromSeconds(30);

    private readonly SyncthingClient _client;
    private readonly IReadOnlyCollection<string> _types;

    private SyncthingEventSubscription(SyncthingClient client, IReadOnlyCollection<string> types, long lastId)
    {
        _client = client;
        _types = types;
        LastId = lastId;
    }

    /// <summary>Gets the ID of the last event returned (0 before any).</summary>
    public long LastId { get; private set; }

    /// <summary>Gets the number of events lost so far (see <see cref="SyncthingEventBatch.MissedEvents"/>).</summary>
    public long MissedEvents { get; private set; }

    /// <summary>
    /// Creates the subscription (a non-blocking <c>since=0&amp;timeout=0</c> call) and positions the stream after the
    /// events already buffered for it, so <see cref="NextAsync"/> returns only what happens from now on.
    /// </summary>
    /// <param name="client">The syncthing to follow.</param>
    /// <param name="types">Event types, e.g. <c>StateChanged</c>, <c>ItemFinished</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stream.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public static async Task<SyncthingEventSubscription> SubscribeAsync(SyncthingClient client, IReadOnlyCollection<string> types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(types);
        var buffered = await client.GetEventsAsync(0, types, TimeSpan.Zero, null, cancellationToken);
        return new SyncthingEventSubscription(client, types, buffered.Count > 0 ? buffered[^1].Id : 0);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for new events.</summary>
    /// <param name="timeout">Long-poll time (whole seconds).</param>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>The new events and how many were lost before them.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public async Task<SyncthingEventBatch> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var events = await _client.GetEventsAsync(LastId, _types, timeout, null, cancellationToken);
        if (events.Count == 0)
        {
            return new SyncthingEventBatch(events, 0);
        }

        long missed = 0;
        if (events[0].Id <= LastId)
        {
            // IDs went back: syncthing restarted and its subscriptions started over.
            missed = 1;
        }
        else if (LastId > 0 && events[0].Id > LastId + 1)
        {
            missed = events[0].Id - LastId - 1;
        }

        LastId = events[^1].Id;
        MissedEvents += missed;
        return new SyncthingEventBatch(events, missed);
    }
}
