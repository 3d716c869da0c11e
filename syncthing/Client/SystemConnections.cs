using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary><c>GET /rest/system/connections</c>: one entry per configured device (syncthing REST: System Endpoints).</summary>
public sealed class SystemConnections
{
    /// <summary>Gets or sets the connections keyed by device ID.</summary>
    [JsonPropertyName("connections")]
    public Dictionary<string, DeviceConnection> Connections { get; set; } = [];
}
