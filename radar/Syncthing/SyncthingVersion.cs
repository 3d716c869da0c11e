namespace KSync.Radar.Syncthing;

/// <summary>The field radar reads from syncthing REST <c>GET /rest/system/version</c>.</summary>
internal sealed class SyncthingVersion
{
    /// <summary>Gets or sets the version, e.g. <c>v1.19.2</c>.</summary>
    public string Version { get; set; } = string.Empty;
}
