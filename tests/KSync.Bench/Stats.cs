using System.Globalization;

namespace KSync.Bench;

/// <summary>Percentiles of a list of durations (nearest-rank).</summary>
internal static class Stats
{
    /// <summary>Returns the p-th percentile (0–100) in ms, nearest-rank.</summary>
    /// <param name="samplesMs">Samples in ms.</param>
    /// <param name="p">Percentile.</param>
    /// <returns>The value in ms.</returns>
    public static double Percentile(IReadOnlyList<double> samplesMs, double p)
    {
        var sorted = samplesMs.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Formats ms without decimals (with one below 10 ms).</summary>
    /// <param name="ms">Milliseconds.</param>
    /// <returns>The text.</returns>
    public static string Ms(double ms) => ms < 10 ? ms.ToString("0.0", CultureInfo.InvariantCulture) : ms.ToString("#,0", CultureInfo.InvariantCulture);
}
