using KSync.Proto.Radar.V1;

namespace KSync.Radar.Seeding;

/// <summary>
/// Whether the folder needs a seed entry (docs/architecture.md, "The seed": only what differs). A file is needed unless
/// a regular file with the same size, mtime (seconds and nanoseconds: syncthing compares both) and permission bits is
/// there; a directory unless a directory with the same bits is there; a symlink unless a link with the same target is.
/// </summary>
internal static class SeedPlanRule
{
    /// <summary>Decides one entry.</summary>
    /// <param name="entry">The local entry.</param>
    /// <param name="existing">What the node holds at its path (never followed if a link), or null for nothing.</param>
    /// <returns>True when the entry must be sent.</returns>
    public static bool Needs(SeedEntry entry, NodeEntry? existing)
    {
        if (existing is not { } node || node.Kind != entry.Kind)
        {
            return true;
        }

        return entry.Kind switch
        {
            SeedEntryKind.File => node.Size != entry.Size || node.MtimeSeconds != entry.MtimeSeconds || node.MtimeNanos != entry.MtimeNanos || node.Mode != (entry.Mode & 0x1FF),
            SeedEntryKind.Directory => node.Mode != (entry.Mode & 0x1FF),
            SeedEntryKind.Symlink => !string.Equals(node.LinkTarget, entry.LinkTarget, StringComparison.Ordinal),
            _ => true,
        };
    }
}

/// <summary>An entry on the node as <c>statx(2)</c> sees it, links not followed.</summary>
/// <param name="Kind">File, directory, symlink, or unspecified for anything else (device, FIFO, socket).</param>
/// <param name="Mode">Permission bits (0-0777).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="MtimeSeconds">Modification time, seconds since the epoch.</param>
/// <param name="MtimeNanos">Its nanoseconds.</param>
/// <param name="LinkTarget">A symlink's target, else null.</param>
/// <param name="Uid">Owner's user.</param>
/// <param name="Gid">Owner's group.</param>
internal readonly record struct NodeEntry(SeedEntryKind Kind, uint Mode, ulong Size, long MtimeSeconds, uint MtimeNanos, string? LinkTarget, uint Uid = 0, uint Gid = 0);
