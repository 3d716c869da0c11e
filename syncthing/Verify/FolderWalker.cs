using KSync.Syncthing.Ignores;

namespace KSync.Syncthing.Verify;

/// <summary>
/// Walks a synced folder for <c>kubectl ksync wait --verify</c> (docs/architecture.md, "Verifying content"): every entry
/// syncthing would sync, with a SHA-256 of each file's content. The same walk runs on the local folder (in watch) and
/// on the container's folder (in radar). Confined to the root: symlinks are reported as links with their target and
/// never followed (neither into directories nor to hash a file), and nothing outside the root is opened. Memory stays
/// bounded by the deepest directory's pending siblings: entries are yielded as found, files hashed in 64 KiB reads.
/// </summary>
public static class FolderWalker
{
    private static readonly string s_emptySha256 = Sha256.HexOf([]);

    /// <summary>Walks <paramref name="root"/> depth-first, children in ordinal name order.</summary>
    /// <param name="root">The folder's absolute path.</param>
    /// <param name="ignores">What the folder ignores; ignored entries are left out, and ignored directories are not
    /// entered unless a pattern re-includes (<c>!</c>).</param>
    /// <param name="cancellationToken">Stops the walk between entries.</param>
    /// <returns>The entries; the root itself is not one.</returns>
    /// <exception cref="DirectoryNotFoundException">The root does not exist or is not a directory.</exception>
    /// <exception cref="IOException">An entry could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">An entry could not be read.</exception>
    public static IEnumerable<FolderEntry> Walk(string root, IgnoreMatcher ignores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(ignores);
        var rootInfo = new DirectoryInfo(root);
        if (!rootInfo.Exists || rootInfo.LinkTarget is not null)
        {
            throw new DirectoryNotFoundException($"{root} is not a directory.");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.TryPop(out var relativeDirectory))
        {
            var directory = relativeDirectory.Length == 0 ? rootInfo : new DirectoryInfo(Path.Combine(root, relativeDirectory));
            var children = directory.EnumerateFileSystemInfos("*", options).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            var subdirectories = new List<string>();
            foreach (var child in children)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = relativeDirectory.Length == 0 ? child.Name : relativeDirectory + "/" + child.Name;
                var ignored = ignores.IsIgnored(path);
                if (child.LinkTarget is { } target)
                {
                    if (!ignored)
                    {
                        yield return new FolderEntry(path, FolderEntryKind.Symlink, 0, string.Empty, target);
                    }
                }
                else if (child is DirectoryInfo)
                {
                    if (!ignored)
                    {
                        yield return new FolderEntry(path, FolderEntryKind.Directory, 0, string.Empty, string.Empty);
                    }

                    if ((!ignored || ignores.HasNegations) && !IgnoreMatcher.IsInternal(path))
                    {
                        subdirectories.Add(path);
                    }
                }
                else if (!ignored && child is FileInfo file)
                {
                    yield return Hash(path, file);
                }
            }

            // Pushed in reverse so the walk goes on in name order.
            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }
    }

    private static FolderEntry Hash(string path, FileInfo file)
    {
        // A fifo, socket or device reports size 0 and is never opened (opening a fifo would block); an empty file
        // hashes the same without reading.
        if (file.Length == 0)
        {
            return new FolderEntry(path, FolderEntryKind.File, 0, s_emptySha256, string.Empty);
        }

        using var stream = new FileStream(file.FullName, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite | FileShare.Delete, BufferSize = 0 });

        // Checked again after opening: an entry replaced by a link between the listing and the open is not read.
        file.Refresh();
        if (file.LinkTarget is { } target)
        {
            return new FolderEntry(path, FolderEntryKind.Symlink, 0, string.Empty, target);
        }

        var sha = new Sha256();
        var buffer = new byte[64 * 1024];
        long size = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            sha.Append(buffer.AsSpan(0, read));
            size += read;
        }

        return new FolderEntry(path, FolderEntryKind.File, size, sha.FinishHex(), string.Empty);
    }
}
