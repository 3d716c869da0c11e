using YamlDotNet.Serialization;

namespace KSync.Plugin.Output;

/// <summary>One synced container of a spec in <c>get</c> output.</summary>
[YamlSerializable]
internal sealed class ServiceView
{
    /// <summary>Gets or sets the pod name.</summary>
    public string Pod { get; set; } = string.Empty;

    /// <summary>Gets or sets the container name.</summary>
    public string Container { get; set; } = string.Empty;

    /// <summary>Gets or sets the node the pod runs on.</summary>
    public string Node { get; set; } = string.Empty;

    /// <summary>Gets or sets the container ID with its runtime scheme.</summary>
    public string ContainerId { get; set; } = string.Empty;

    /// <summary>Gets or sets the status: starting, syncing, watching, reloading, reconnecting or error.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>Gets or sets the initial sync's progress in percent (0–100).</summary>
    public double InitialSyncPercent { get; set; }

    /// <summary>Gets or sets when a change last landed (ISO 8601, UTC), or empty.</summary>
    public string LastSync { get; set; } = string.Empty;

    /// <summary>Gets or sets the last error, or empty.</summary>
    public string LastError { get; set; } = string.Empty;

    /// <summary>Gets or sets the runtime backend radar used (docker, containerd, cri-o, proc).</summary>
    public string Backend { get; set; } = string.Empty;

    /// <summary>Gets or sets a value indicating whether the synced path is on a volume of the container.</summary>
    public bool OnVolume { get; set; }

    /// <summary>Gets or sets how many times watch reloaded this container.</summary>
    public int ReloadCount { get; set; }

    /// <summary>Gets or sets, while reconnecting, when the link to the node broke (ISO 8601, UTC); else empty.</summary>
    public string ReconnectingSince { get; set; } = string.Empty;

    /// <summary>Gets or sets, while reconnecting, why the link is not back yet; else empty.</summary>
    public string ReconnectReason { get; set; } = string.Empty;

    /// <summary>Gets or sets what works but not as it should (e.g. the node cannot give files their owner), or empty.</summary>
    public string Warning { get; set; } = string.Empty;

    /// <summary>Gets or sets, while the first sync's seed streams, how far it is; else null.</summary>
    public SeedView? Seed { get; set; }

    /// <summary>Gets or sets how many entries first syncs removed from the container (absent locally, not ignored).</summary>
    public int FirstSyncRemoved { get; set; }

    /// <summary>
    /// Gets or sets how many of the last local changes the save→visible percentiles cover (at most 100; 0 before the
    /// first landed).
    /// </summary>
    public int SaveToVisibleSamples { get; set; }

    /// <summary>Gets or sets the median save→visible latency of those changes in milliseconds, or null without any.</summary>
    public double? SaveToVisibleP50Ms { get; set; }

    /// <summary>Gets or sets their 95th percentile save→visible latency in milliseconds, or null without any.</summary>
    public double? SaveToVisibleP95Ms { get; set; }
}
