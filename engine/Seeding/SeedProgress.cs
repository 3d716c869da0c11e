namespace KSync.Engine.Seeding;

/// <summary>
/// How far a seed is: entries (files, directories, symlinks) and file bytes of the local manifest the container holds
/// so far. Entries the container already held count as done from the start.
/// </summary>
/// <param name="EntriesDone">Entries in place.</param>
/// <param name="EntriesTotal">Entries in the local manifest.</param>
/// <param name="BytesDone">File bytes in place.</param>
/// <param name="BytesTotal">File bytes in the local manifest.</param>
public sealed record SeedProgress(int EntriesDone, int EntriesTotal, long BytesDone, long BytesTotal)
{
    /// <summary>Gets the regular files in place (a subset of <see cref="EntriesDone"/>), what <c>get</c> shows.</summary>
    public int FilesDone { get; init; }

    /// <summary>Gets the regular files in the local manifest (a subset of <see cref="EntriesTotal"/>).</summary>
    public int FilesTotal { get; init; }

    /// <summary>
    /// Gets the share done, 0-100: the mean of the entries' and the bytes' shares, so neither many small files nor one
    /// large file stalls it; 100 for an empty manifest.
    /// </summary>
    public double Percent
    {
        get
        {
            var entries = EntriesTotal == 0 ? 1.0 : (double)EntriesDone / EntriesTotal;
            var bytes = BytesTotal == 0 ? entries : (double)BytesDone / BytesTotal;
            return Math.Clamp(100.0 * (entries + bytes) / 2, 0, 100);
        }
    }
}
