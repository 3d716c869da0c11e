using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>
/// A device in syncthing's config (<c>/rest/config/devices</c>; syncthing docs "Device configuration"). Properties
/// left null are not sent, so syncthing fills them from <c>defaults/device</c> on POST and keeps them on PATCH.
/// </summary>
public sealed class DeviceConfiguration
{
    /// <summary>Gets or sets the device ID.</summary>
    [JsonPropertyName("deviceID")]
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>Gets or sets the display name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>Gets or sets where to dial the device, e.g. <c>tcp://127.0.0.1:22001</c> (never "dynamic" in ksync).</summary>
    [JsonPropertyName("addresses")]
    public List<string>? Addresses { get; set; }

    /// <summary>Gets or sets the compression mode: <c>metadata</c>, <c>always</c> or <c>never</c>.</summary>
    [JsonPropertyName("compression")]
    public string? Compression { get; set; }

    /// <summary>Gets or sets a value indicating whether the device may introduce others (ksync: false).</summary>
    [JsonPropertyName("introducer")]
    public bool? Introducer { get; set; }

    /// <summary>Gets or sets a value indicating whether the device is paused.</summary>
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    /// <summary>Gets or sets a value indicating whether folders the device shares are added automatically (ksync: false).</summary>
    [JsonPropertyName("autoAcceptFolders")]
    public bool? AutoAcceptFolders { get; set; }
}
