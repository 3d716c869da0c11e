using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>The parts of <c>GET /rest/system/status</c> ksync reads (syncthing REST: System Endpoints).</summary>
public sealed class SystemStatus
{
    /// <summary>Gets or sets this device's ID.</summary>
    [JsonPropertyName("myID")]
    public string MyId { get; set; } = string.Empty;

    /// <summary>Gets or sets the time syncthing has been running, in seconds.</summary>
    [JsonPropertyName("uptime")]
    public long UptimeSeconds { get; set; }

    /// <summary>Gets or sets the start time as syncthing reports it (RFC 3339).</summary>
    [JsonPropertyName("startTime")]
    public string? StartTime { get; set; }
}
