namespace KSync.Syncthing.Scanning;

/// <summary>
/// Turns a set of changed paths into the <c>sub</c> list of one <c>POST /rest/db/scan</c>: paths inside another listed
/// path are dropped (scanning a folder covers what is below it), and when more than a limit remain, paths are replaced
/// by their parent folders until few enough are left (a change at the root means a full scan).
/// </summary>
internal static class ScanPaths
{
    /// <summary>Default most <c>sub</c> parameters in one scan request: 100.</summary>
    public const int DefaultMaxPaths = 100;

    /// <summary>Collapses <paramref name="paths"/>.</summary>
    /// <param name="paths">Changed paths relative to the folder root, <c>/</c>-separated.</param>
    /// <param name="maxPaths">Most paths to return.</param>
    /// <returns>The paths to scan, sorted; null for a full scan.</returns>
    public static IReadOnlyList<string>? Collapse(IEnumerable<string> paths, int maxPaths = DefaultMaxPaths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var clean = path.Trim('/');
            if (clean.Length == 0 || clean == ".")
            {
                return null;
            }

            set.Add(clean);
        }

        var result = RemoveNested(set);
        while (result.Count > Math.Max(1, maxPaths))
        {
            var parents = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var path in result)
            {
                var slash = path.LastIndexOf('/');
                if (slash < 0)
                {
                    return null;
                }

                parents.Add(path[..slash]);
            }

            result = RemoveNested(parents);
        }

        return result;
    }

    private static List<string> RemoveNested(SortedSet<string> sorted)
    {
        // In ordinal order a folder comes right before the paths inside it ("a" < "a/b"), except for names with
        // characters below '/' ("a b", "a-b"), which is why each path is checked against every kept ancestor.
        var kept = new List<string>();
        var keptSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in sorted)
        {
            var nested = false;
            for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            {
                if (keptSet.Contains(path[..slash]))
                {
                    nested = true;
                    break;
                }
            }

            if (!nested)
            {
                kept.Add(path);
                keptSet.Add(path);
            }
        }

        return kept;
    }
}
