using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>One device's entry in <c>GET /rest/system/connections</c>.</summary>
public sealed class DeviceConnection
{
    /// <summary>Gets or sets a value indicating whether the device is connected now.</summary>
    [JsonPropertyName("connected")]
    public bool Connected { get; set; }

    /// <summary>Gets or sets a value indicating whether the device is paused.</summary>
    [JsonPropertyName("paused")]
    public bool Paused { get; set; }

    /// <summary>Gets or sets the remote address of the connection, e.g. <c>127.0.0.1:22001</c>.</summary>
    [JsonPropertyName("address")]
    public string? Address { get; set; }

    /// <summary>Gets or sets the other side's syncthing version.</summary>
    [JsonPropertyName("clientVersion")]
    public string? ClientVersion { get; set; }
}
