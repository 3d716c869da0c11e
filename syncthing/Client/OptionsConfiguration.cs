using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>
/// The global options ksync sets (<c>/rest/config/options</c>; syncthing docs "Options"). Null properties are not sent,
/// so a PATCH changes only what is set.
/// </summary>
public sealed class OptionsConfiguration
{
    /// <summary>
    /// The options that keep a syncthing private (docs/architecture.md, "syncthing facts": a fresh config listens on
    /// all interfaces and uses discovery and relays until these land): one sync listener, no global or local
    /// discovery, no relays or NAT traversal, usage reporting declined, no crash reports, no upgrades, no browser.
    /// </summary>
    /// <param name="listenAddress">The only sync listener, e.g. <c>tcp://127.0.0.1:22000</c>.</param>
    /// <returns>A patch with just those options set.</returns>
    public static OptionsConfiguration Private(string listenAddress) => new()
    {
        ListenAddresses = [listenAddress],
        GlobalAnnounceEnabled = false,
        LocalAnnounceEnabled = false,
        RelaysEnabled = false,
        NatEnabled = false,
        UrAccepted = -1,
        CrashReportingEnabled = false,
        AutoUpgradeIntervalH = 0,
        StartBrowser = false,
    };

    /// <summary>Gets or sets the sync protocol listen addresses, e.g. <c>tcp://127.0.0.1:22001</c>.</summary>
    [JsonPropertyName("listenAddresses")]
    public List<string>? ListenAddresses { get; set; }

    /// <summary>Gets or sets a value indicating whether global discovery is on.</summary>
    [JsonPropertyName("globalAnnounceEnabled")]
    public bool? GlobalAnnounceEnabled { get; set; }

    /// <summary>Gets or sets a value indicating whether local (LAN broadcast) discovery is on.</summary>
    [JsonPropertyName("localAnnounceEnabled")]
    public bool? LocalAnnounceEnabled { get; set; }

    /// <summary>Gets or sets a value indicating whether relays are used.</summary>
    [JsonPropertyName("relaysEnabled")]
    public bool? RelaysEnabled { get; set; }

    /// <summary>Gets or sets a value indicating whether NAT traversal (UPnP/NAT-PMP) is on.</summary>
    [JsonPropertyName("natEnabled")]
    public bool? NatEnabled { get; set; }

    /// <summary>Gets or sets the usage-reporting answer: 0 undecided, -1 declined.</summary>
    [JsonPropertyName("urAccepted")]
    public int? UrAccepted { get; set; }

    /// <summary>Gets or sets a value indicating whether crash reports are sent (syncthing default true).</summary>
    [JsonPropertyName("crashReportingEnabled")]
    public bool? CrashReportingEnabled { get; set; }

    /// <summary>Gets or sets the auto-upgrade check interval in hours; 0 disables it.</summary>
    [JsonPropertyName("autoUpgradeIntervalH")]
    public int? AutoUpgradeIntervalH { get; set; }

    /// <summary>Gets or sets a value indicating whether a browser is opened at start.</summary>
    [JsonPropertyName("startBrowser")]
    public bool? StartBrowser { get; set; }

    /// <summary>Gets or sets how often to retry dialing devices, in seconds (syncthing default 60).</summary>
    [JsonPropertyName("reconnectionIntervalS")]
    public int? ReconnectionIntervalS { get; set; }
}
