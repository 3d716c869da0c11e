namespace KSync.Engine.Latency;

/// <summary>The save→visible latency of one container's last changes (<see cref="SaveToVisible"/>).</summary>
/// <param name="Samples">Changes the percentiles cover (at most <see cref="SaveToVisible.Window"/>).</param>
/// <param name="Landed">Local changes measured since watch began following the container.</param>
/// <param name="P50Milliseconds">Median, in milliseconds; null without samples.</param>
/// <param name="P95Milliseconds">95th percentile (nearest rank), in milliseconds; null without samples.</param>
public sealed record LatencySummary(int Samples, long Landed, double? P50Milliseconds, double? P95Milliseconds)
{
    /// <summary>Gets the summary of a container with no measured change yet.</summary>
    public static LatencySummary None { get; } = new(0, 0, null, null);
}
