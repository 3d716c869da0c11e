using KSync.Syncthing.Ignores;

namespace KSync.Engine.Seeding;

/// <summary>
/// Walks the local folder for a seed: what the local syncthing syncs (its ignore patterns, <see cref="IgnoreMatcher"/>;
/// an ignored directory is not entered), in ordinal name order, each directory before what it holds, so the node agent
/// always finds an entry's parents. Left out, for syncthing to handle: devices, FIFOs and sockets, and symlinks whose
/// target is absolute or leaves the folder (the node agent refuses those). Yields lazily: memory holds one directory's
/// names per level.
/// </summary>
public static class LocalTree
{
    private const int TypeFile = 0x8000;
    private const int TypeDirectory = 0x4000;
    private const int TypeSymlink = 0xA000;

    /// <summary>Walks a folder.</summary>
    /// <param name="root">The local folder.</param>
    /// <param name="ignores">What syncthing ignores there.</param>
    /// <returns>The entries below the root (not the root itself).</returns>
    /// <exception cref="IOException">A directory or entry cannot be read.</exception>
    public static IEnumerable<SeedItem> Walk(string root, IgnoreMatcher ignores)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(ignores);
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            var names = Directory.EnumerateFileSystemEntries(Path.Combine(root, directory))
                .Select(Path.GetFileName)
                .Order(StringComparer.Ordinal)
                .ToList();
            var subdirectories = new List<string>();
            foreach (var name in names)
            {
                var relative = directory.Length == 0 ? name! : directory + "/" + name;
                if (ignores.IsIgnored(relative) || LocalStat.Lstat(Path.Combine(root, relative)) is not { } stat)
                {
                    continue;
                }

                switch (stat.Type)
                {
                    case TypeFile:
                        yield return new SeedItem(relative, SeedKind.File, stat.Mode, stat.Size, stat.MtimeSeconds, stat.MtimeNanos, null);
                        break;
                    case TypeDirectory:
                        yield return new SeedItem(relative, SeedKind.Directory, stat.Mode, 0, stat.MtimeSeconds, stat.MtimeNanos, null);
                        subdirectories.Add(relative);
                        break;
                    case TypeSymlink:
                        var target = new FileInfo(Path.Combine(root, relative)).LinkTarget;
                        if (target is not null && StaysInside(relative, target))
                        {
                            yield return new SeedItem(relative, SeedKind.Symlink, stat.Mode, 0, stat.MtimeSeconds, stat.MtimeNanos, target);
                        }

                        break;
                }
            }

            // Depth first, in name order: push the last first.
            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }
    }

    /// <summary>Whether a link's target is relative and, resolved from the link's directory, stays in the folder.</summary>
    /// <param name="link">The link's relative path.</param>
    /// <param name="target">Its target.</param>
    /// <returns>True when the node agent accepts it.</returns>
    public static bool StaysInside(string link, string target)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Length == 0 || target[0] == '/')
        {
            return false;
        }

        var depth = link.Count(c => c == '/');
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            depth += part == ".." ? -1 : 1;
            if (depth < 0)
            {
                return false;
            }
        }

        return true;
    }
}
