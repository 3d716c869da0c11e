namespace KSync.Radar.Paths;

/// <summary>
/// A path inside a container as the plugin sends it, checked and normalized lexically: absolute, no NUL, at most
/// 4,096 bytes (PATH_MAX) with components of at most 255 bytes (NAME_MAX); <c>.</c> and empty components dropped;
/// <c>..</c> removes the previous component and may never climb above <c>/</c>.
/// </summary>
internal static class RemotePath
{
    /// <summary>Longest accepted path in UTF-8 bytes (Linux PATH_MAX).</summary>
    public const int MaxBytes = 4096;

    /// <summary>Longest accepted component in UTF-8 bytes (Linux NAME_MAX).</summary>
    public const int MaxComponentBytes = 255;

    /// <summary>Parses a remote path into its normalized components.</summary>
    /// <param name="path">E.g. <c>/app/src</c>.</param>
    /// <returns>Components from the root; empty for <c>/</c>.</returns>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument: empty, relative, NUL, too long, or <c>..</c> above the root.</exception>
    public static IReadOnlyList<string> Parse(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw Runtimes.RadarErrors.InvalidArgument("remote_path is empty; give an absolute path inside the container, e.g. /app.");
        }

        if (path[0] != '/')
        {
            throw Runtimes.RadarErrors.InvalidArgument($"remote_path '{Shorten(path)}' is relative; give an absolute path inside the container, e.g. /app.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Runtimes.RadarErrors.InvalidArgument("remote_path contains a NUL character.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxBytes)
        {
            throw Runtimes.RadarErrors.InvalidArgument($"remote_path is longer than {MaxBytes} bytes.");
        }

        var segments = new List<string>();
        foreach (var part in path.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count == 0)
                    {
                        throw Runtimes.RadarErrors.InvalidArgument($"remote_path '{Shorten(path)}' climbs out of the container's root with '..'.");
                    }

                    segments.RemoveAt(segments.Count - 1);
                    continue;
                default:
                    if (System.Text.Encoding.UTF8.GetByteCount(part) > MaxComponentBytes)
                    {
                        throw Runtimes.RadarErrors.InvalidArgument($"a component of remote_path is longer than {MaxComponentBytes} bytes.");
                    }

                    segments.Add(part);
                    continue;
            }
        }

        return segments;
    }

    /// <summary>Formats components as an absolute container path.</summary>
    /// <param name="segments">Components from the root.</param>
    /// <returns>E.g. <c>/app/src</c>; <c>/</c> for none.</returns>
    public static string Format(IEnumerable<string> segments) => "/" + string.Join('/', segments);

    private static string Shorten(string path)
    {
        var cut = path.Length > 120 ? path[..120] + "…" : path;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
