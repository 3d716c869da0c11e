using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>A device a folder is shared with (the <c>devices</c> list of a folder configuration).</summary>
public sealed class FolderDeviceConfiguration
{
    /// <summary>Gets or sets the device ID.</summary>
    [JsonPropertyName("deviceID")]
    public string DeviceId { get; set; } = string.Empty;
}
