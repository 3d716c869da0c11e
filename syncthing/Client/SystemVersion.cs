using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary><c>GET /rest/system/version</c> (syncthing REST: System Endpoints).</summary>
public sealed class SystemVersion
{
    /// <summary>Gets or sets the version, e.g. <c>v1.19.2-ds1</c>.</summary>
    [JsonPropertyName("version")]
    public string Version { get; set; } = string.Empty;

    /// <summary>Gets or sets the full version line.</summary>
    [JsonPropertyName("longVersion")]
    public string? LongVersion { get; set; }

    /// <summary>Gets or sets the OS (Go's GOOS).</summary>
    [JsonPropertyName("os")]
    public string? Os { get; set; }

    /// <summary>Gets or sets the architecture (Go's GOARCH).</summary>
    [JsonPropertyName("arch")]
    public string? Arch { get; set; }
}
