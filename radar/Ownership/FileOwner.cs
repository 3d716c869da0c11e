using System.Globalization;

namespace KSync.Radar.Ownership;

/// <summary>A numeric owner of a file: user ID and group ID as the kernel stores them (no name lookup).</summary>
/// <param name="Uid">User ID.</param>
/// <param name="Gid">Group ID.</param>
internal readonly record struct FileOwner(uint Uid, uint Gid)
{
    /// <summary>Gets root:root.</summary>
    public static FileOwner Root => new(0, 0);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Uid}:{Gid}");
}
