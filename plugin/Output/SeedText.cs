using System.Globalization;

namespace KSync.Plugin.Output;

/// <summary>
/// How a first sync's seed (docs/architecture.md, "The seed") reads in <c>get</c> and in watch's progress line:
/// <c>seeding 4,210/10,000 files, 12/40 MB</c>.
/// </summary>
internal static class SeedText
{
    /// <summary>The seed's progress in one line.</summary>
    /// <param name="seed">How far it is.</param>
    /// <returns>E.g. <c>seeding 4,210/10,000 files, 12/40 MB</c>.</returns>
    public static string Compact(SeedView seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return string.Create(CultureInfo.InvariantCulture, $"seeding {seed.FilesDone:N0}/{seed.FilesTotal:N0} files, {Bytes(seed.BytesDone, seed.BytesTotal)}");
    }

    /// <summary>Bytes done and total in the unit the total reads best in (decimal: 1 kB = 1,000 B), both rounded down.</summary>
    /// <param name="done">Bytes done.</param>
    /// <param name="total">Bytes in all.</param>
    /// <returns>E.g. <c>12/40 MB</c>, <c>512/900 B</c>, <c>1.2/3.5 GB</c>.</returns>
    public static string Bytes(long done, long total)
    {
        var (unit, name, decimals) = total switch
        {
            >= 1_000_000_000 => (1_000_000_000.0, "GB", 1),
            >= 1_000_000 => (1_000_000.0, "MB", 0),
            >= 1_000 => (1_000.0, "kB", 0),
            _ => (1.0, "B", 0),
        };
        var scale = Math.Pow(10, decimals);
        string Format(long bytes) => (Math.Floor(bytes / unit * scale) / scale).ToString(decimals == 0 ? "N0" : "N1", CultureInfo.InvariantCulture);
        return $"{Format(done)}/{Format(total)} {name}";
    }
}
