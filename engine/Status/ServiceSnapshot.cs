using KSync.Engine.Latency;
using KSync.Engine.Seeding;

namespace KSync.Engine.Status;

/// <summary>A consistent copy of a <see cref="ServiceState"/>.</summary>
/// <param name="Status">The status.</param>
/// <param name="LastError">The last error, or empty.</param>
/// <param name="InitialSyncPercent">Initial sync progress, 0–100.</param>
/// <param name="LastSync">When a change last landed, or null.</param>
/// <param name="NodePath">Node path of the remote folder, or empty before radar answered.</param>
/// <param name="Backend">Runtime backend that resolved it, or empty.</param>
/// <param name="OnVolume">Whether the remote folder is on a volume.</param>
/// <param name="ReloadCount">Reloads done by watch.</param>
/// <param name="ReconnectingSince">While <see cref="ServiceStatus.Reconnecting"/>: when the link broke; else null.</param>
/// <param name="ReconnectReason">While <see cref="ServiceStatus.Reconnecting"/>: why it is not back yet; else empty.</param>
/// <param name="Warning">Something that works, but not as it should (e.g. the node cannot give files their owner), or empty.</param>
/// <param name="Seed">While a first sync's seed streams (docs/architecture.md, "The seed"): how far it is; else null.</param>
/// <param name="FirstSyncRemoved">Entries first syncs removed from the container (present there, absent locally, not ignored).</param>
/// <param name="Latency">The save→visible latency of the last local changes; null for none measured.</param>
public sealed record ServiceSnapshot(
    ServiceStatus Status,
    string LastError,
    double InitialSyncPercent,
    DateTimeOffset? LastSync,
    string NodePath,
    string Backend,
    bool OnVolume,
    int ReloadCount,
    DateTimeOffset? ReconnectingSince = null,
    string ReconnectReason = "",
    string Warning = "",
    SeedProgress? Seed = null,
    int FirstSyncRemoved = 0,
    LatencySummary? Latency = null);
