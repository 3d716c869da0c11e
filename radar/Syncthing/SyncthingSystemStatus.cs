namespace KSync.Radar.Syncthing;

/// <summary>The fields radar reads from syncthing REST <c>GET /rest/system/status</c>.</summary>
internal sealed class SyncthingSystemStatus
{
    /// <summary>Gets or sets the device ID (<c>myID</c>).</summary>
    public string MyID { get; set; } = string.Empty;

    /// <summary>Gets or sets when this syncthing process started (<c>startTime</c>, RFC 3339); changes on every restart.</summary>
    public string StartTime { get; set; } = string.Empty;
}
