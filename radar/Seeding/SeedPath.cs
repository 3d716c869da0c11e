using System.Text;
using KSync.Radar.Paths;
using KSync.Radar.Runtimes;

namespace KSync.Radar.Seeding;

/// <summary>
/// The confinement of a seed (docs/architecture.md, "The seed"), checked lexically before anything on the node is
/// touched: an entry's path is relative and has no empty, <c>.</c> or <c>..</c> components, no NUL, and the lengths of
/// <see cref="RemotePath"/>; a symlink's target is relative and, resolved from the link's directory, never climbs above
/// the folder. Whether each parent is a real directory is checked on the node by <see cref="SeedWriter"/>.
/// </summary>
internal static class SeedPath
{
    /// <summary>Splits an entry's path into its components.</summary>
    /// <param name="path">E.g. <c>src/main.go</c>.</param>
    /// <returns>The components, at least one.</returns>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument naming the path.</exception>
    public static string[] Parse(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw RadarErrors.InvalidArgument("a seed entry has an empty path.");
        }

        if (path[0] == '/')
        {
            throw RadarErrors.InvalidArgument($"seed entry '{path}' is absolute; entries are relative to the synced folder.");
        }

        if (path.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(path) > RemotePath.MaxBytes)
        {
            throw RadarErrors.InvalidArgument($"seed entry '{path}' contains a NUL character or is longer than {RemotePath.MaxBytes} bytes.");
        }

        var segments = path.Split('/');
        foreach (var segment in segments)
        {
            if (segment is "" or "." or "..")
            {
                throw RadarErrors.InvalidArgument($"seed entry '{path}' has an empty, '.' or '..' component; entries must stay inside the synced folder.");
            }

            if (Encoding.UTF8.GetByteCount(segment) > RemotePath.MaxComponentBytes)
            {
                throw RadarErrors.InvalidArgument($"seed entry '{path}' has a component longer than {RemotePath.MaxComponentBytes} bytes.");
            }
        }

        return segments;
    }

    /// <summary>Checks a symlink's target.</summary>
    /// <param name="link">The link's components (from <see cref="Parse"/>).</param>
    /// <param name="target">The target as the link stores it.</param>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument: empty, absolute, NUL, or climbing out of the folder.</exception>
    public static void CheckLinkTarget(IReadOnlyList<string> link, string? target)
    {
        var name = string.Join('/', link);
        if (string.IsNullOrEmpty(target) || target.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(target) > RemotePath.MaxBytes)
        {
            throw RadarErrors.InvalidArgument($"symlink '{name}' has an empty or invalid target.");
        }

        if (target[0] == '/')
        {
            throw RadarErrors.InvalidArgument($"symlink '{name}' points to the absolute path '{target}'; only relative targets inside the synced folder are seeded.");
        }

        // Depth below the folder of the directory the link sits in; the target resolves from there.
        var depth = link.Count - 1;
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            depth += part == ".." ? -1 : 1;
            if (depth < 0)
            {
                throw RadarErrors.InvalidArgument($"symlink '{name}' points to '{target}', which leaves the synced folder.");
            }
        }
    }
}
