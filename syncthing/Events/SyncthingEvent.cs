using System.Text.Json;
using System.Text.Json.Serialization;

namespace KSync.Syncthing.Events;

/// <summary>
/// One event from <c>GET /rest/events</c> (syncthing docs "Event API"). <see cref="Id"/> counts up by one within a
/// subscription (a given type filter), so a jump means events were dropped from syncthing's 1,000-event buffer.
/// </summary>
public sealed class SyncthingEvent
{
    /// <summary>Gets or sets the ID within the subscription (starts at 1, no holes unless events were dropped).</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>Gets or sets the ID across all event types.</summary>
    [JsonPropertyName("globalID")]
    public long GlobalId { get; set; }

    /// <summary>Gets or sets the event type, e.g. <c>StateChanged</c>, <c>ItemFinished</c>, <c>LocalIndexUpdated</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    /// <summary>Gets or sets when the event happened.</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset Time { get; set; }

    /// <summary>Gets or sets the type-specific payload (e.g. <c>folder</c>, <c>from</c>, <c>to</c> for StateChanged).</summary>
    [JsonPropertyName("data")]
    public JsonElement Data { get; set; }

    /// <summary>Reads a string property of <see cref="Data"/>.</summary>
    /// <param name="name">Property name, e.g. <c>folder</c>.</param>
    /// <returns>The value, or null when absent or not a string.</returns>
    public string? DataString(string name)
        => Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
