using System.Globalization;
using KSync.Syncthing.Events;

namespace KSync.Syncthing.Client;

/// <summary>Event endpoint (syncthing docs "Event API", <c>GET /rest/events</c>).</summary>
public sealed partial class SyncthingClient
{
    /// <summary>
    /// <c>GET /rest/events?since=&amp;events=&amp;timeout=&amp;limit=</c>: long-polls for events newer than
    /// <paramref name="since"/>. A subscription for a type filter is created by the FIRST call with that filter, and
    /// events from before it are lost: subscribe (see <see cref="SyncthingEventSubscription.SubscribeAsync(SyncthingClient, IReadOnlyCollection{string}, CancellationToken)"/>) before acting.
    /// </summary>
    /// <param name="since">Last event ID seen; 0 for everything buffered.</param>
    /// <param name="types">Event types to receive, or null for the default set.</param>
    /// <param name="timeout">How long syncthing may hold the call when no event is pending (whole seconds, at least 0).</param>
    /// <param name="limit">Return at most the last this many events, or null for all.</param>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>The events, oldest first; empty when the timeout passed without one.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public async Task<IReadOnlyList<SyncthingEvent>> GetEventsAsync(long since, IReadOnlyCollection<string>? types, TimeSpan timeout, int? limit, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(0, (int)Math.Ceiling(timeout.TotalSeconds));
        var query = Query(
            ("since", since.ToString(CultureInfo.InvariantCulture)),
            ("events", types is { Count: > 0 } ? string.Join(',', types) : null),
            ("timeout", seconds.ToString(CultureInfo.InvariantCulture)),
            ("limit", limit?.ToString(CultureInfo.InvariantCulture)));
        var (_, body) = await SendAsync(HttpMethod.Get, "rest/events", query, null, TimeSpan.FromSeconds(seconds) + _options.RequestTimeout, retry: true, cancellationToken);
        return body.Length == 0 || body.Trim() == "null"
            ? []
            : Deserialize(HttpMethod.Get, "rest/events", body, SyncthingJsonContext.Default.ListSyncthingEvent);
    }
}
