using System.Globalization;
using KSync.Plugin.Processes;
using KSync.Syncthing;
using KSync.Syncthing.Versions;

namespace KSync.Plugin.Commands;

/// <summary>
/// Remembers the version <c>syncthing --version</c> printed, so <c>kubectl ksync version</c> does not start syncthing
/// on every call (starting it costs more than the rest of the command). The file,
/// <c>~/.ksync/syncthing-version</c>, holds one line: the binary's <see cref="FileStamp"/> and its version; a binary
/// whose stamp differs (another path, replaced, rewritten) is run again and the line replaced. The file is written
/// atomically (temp file, rename); one that is missing, unreadable or not understood is a miss, and a cache that
/// cannot be written only costs speed.
/// </summary>
internal static class SyncthingVersionCache
{
    /// <summary>The file's name inside the ksync home.</summary>
    public const string FileName = "syncthing-version";

    // Bumped when the line's layout changes, so an older line is a miss.
    private const string Format = "1";

    /// <summary>Finds the version of <paramref name="binary"/> in the cache, or runs it and remembers the answer.</summary>
    /// <param name="home">The ksync home folder (created when missing).</param>
    /// <param name="binary">The syncthing executable.</param>
    /// <param name="cancellationToken">Cancels a run of syncthing.</param>
    /// <returns>The version.</returns>
    /// <exception cref="SyncthingException">syncthing had to be run and did not print a version.</exception>
    public static async Task<SyncthingVersion> ReadAsync(Config.Model.KsyncHome home, string binary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        var file = Path.Combine(home.Root, FileName);
        var before = FileStamp.Of(binary);
        if (before is not null && Lookup(TryRead(file), before) is { } cached)
        {
            return cached;
        }

        var version = await SyncthingBinaryResolver.ReadVersionAsync(binary, cancellationToken);

        // A binary replaced while it ran may have printed either version: remember nothing then.
        if (before is not null && before == FileStamp.Of(binary))
        {
            TryWrite(home, file, Line(before, version));
        }

        return version;
    }

    /// <summary>The version a cache line holds for a binary with <paramref name="stamp"/>.</summary>
    /// <param name="line">The cache file's text, or null when there is none.</param>
    /// <param name="stamp">The binary's stamp now.</param>
    /// <returns>The version, or null when the line is for another binary (or another stamp), or not understood.</returns>
    public static SyncthingVersion? Lookup(string? line, FileStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        var fields = line?.TrimEnd('\n').Split('\t');
        if (fields is not { Length: 8 } || fields[0] != Format)
        {
            return null;
        }

        var same = fields[1] == stamp.Path
            && fields[2] == stamp.Device
            && fields[3] == stamp.Inode.ToString(CultureInfo.InvariantCulture)
            && fields[4] == stamp.Size.ToString(CultureInfo.InvariantCulture)
            && fields[5] == stamp.ModifiedNanoseconds.ToString(CultureInfo.InvariantCulture)
            && fields[6] == stamp.ChangedNanoseconds.ToString(CultureInfo.InvariantCulture);
        return same && SyncthingVersion.TryParse(fields[7], out var version) ? version : null;
    }

    /// <summary>The cache line for a binary and its version.</summary>
    /// <param name="stamp">The binary's stamp.</param>
    /// <param name="version">What it printed.</param>
    /// <returns>One line, tab-separated, ending in a newline.</returns>
    public static string Line(FileStamp stamp, SyncthingVersion version)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        ArgumentNullException.ThrowIfNull(version);
        return string.Join(
            '\t',
            Format,
            stamp.Path,
            stamp.Device,
            stamp.Inode.ToString(CultureInfo.InvariantCulture),
            stamp.Size.ToString(CultureInfo.InvariantCulture),
            stamp.ModifiedNanoseconds.ToString(CultureInfo.InvariantCulture),
            stamp.ChangedNanoseconds.ToString(CultureInfo.InvariantCulture),
            version.Text) + "\n";
    }

    private static string? TryRead(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryWrite(Config.Model.KsyncHome home, string file, string line)
    {
        var temp = $"{file}.{Environment.ProcessId}.tmp";
        try
        {
            home.EnsureExists();
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(line);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Nothing more to do: a stray temp file is harmless and the next write replaces it.
            }
        }
    }
}
