namespace KSync.Radar.Syncthing;

/// <summary>
/// Body of syncthing REST <c>PATCH /rest/config/options</c> that keeps the node syncthing private: it listens only on
/// 127.0.0.1 (reached through port-forward), never announces itself, never uses relays or NAT traversal, never
/// reports usage or crashes, never upgrades itself (syncthing-notes.md: traps 7 and 11; urAccepted -1 = declined).
/// </summary>
internal sealed class SyncthingOptionsPatch
{
    /// <summary>Gets or sets the sync listeners, e.g. <c>["tcp://127.0.0.1:22000"]</c>.</summary>
    public List<string> ListenAddresses { get; set; } = [];

    /// <summary>Gets or sets a value indicating whether to announce to global discovery servers (false).</summary>
    public bool GlobalAnnounceEnabled { get; set; }

    /// <summary>Gets or sets a value indicating whether to broadcast on the LAN (false).</summary>
    public bool LocalAnnounceEnabled { get; set; }

    /// <summary>Gets or sets a value indicating whether to use relays (false).</summary>
    public bool RelaysEnabled { get; set; }

    /// <summary>Gets or sets a value indicating whether to map ports with UPnP/NAT-PMP (false).</summary>
    public bool NatEnabled { get; set; }

    /// <summary>Gets or sets the usage reporting decision: -1 = declined.</summary>
    public int UrAccepted { get; set; } = -1;

    /// <summary>Gets or sets a value indicating whether to send crash reports (false).</summary>
    public bool CrashReportingEnabled { get; set; }

    /// <summary>Gets or sets the auto-upgrade interval in hours: 0 = never.</summary>
    public int AutoUpgradeIntervalH { get; set; }

    /// <summary>Gets or sets a value indicating whether to open a browser (false).</summary>
    public bool StartBrowser { get; set; }
}
