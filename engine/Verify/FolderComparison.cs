using System.Globalization;
using KSync.Syncthing.Verify;

namespace KSync.Engine.Verify;

/// <summary>
/// Compares the entries of the local folder with the container's (both from <see cref="FolderWalker"/>, so ignores
/// are already applied on both sides): the decision of <c>wait --verify</c> (docs/architecture.md, "Verifying content").
/// Files compare by size and SHA-256, symlinks by target, directories by existing; modification times, permissions and
/// owners are not compared (the node may keep its own owner, and syncthing does not carry times for directories).
/// </summary>
public static class FolderComparison
{
    /// <summary>Lists every path that differs, in ordinal path order.</summary>
    /// <param name="local">The local folder's entries.</param>
    /// <param name="node">The container folder's entries.</param>
    /// <returns>The differences; empty when both hold the same content.</returns>
    /// <exception cref="ArgumentException">A side lists one path twice.</exception>
    public static IReadOnlyList<FolderDifference> Compare(IEnumerable<FolderEntry> local, IEnumerable<FolderEntry> node)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(node);
        var nodeByPath = node.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var differences = new List<FolderDifference>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mine in local)
        {
            if (!seen.Add(mine.Path))
            {
                throw new ArgumentException($"The local side lists '{mine.Path}' twice.", nameof(local));
            }

            if (!nodeByPath.Remove(mine.Path, out var theirs))
            {
                differences.Add(new FolderDifference(mine.Path, DifferenceKind.MissingOnNode, $"a {Name(mine.Kind)} locally, nothing on the node"));
            }
            else if (mine.Kind != theirs.Kind)
            {
                differences.Add(new FolderDifference(mine.Path, DifferenceKind.Type, $"a {Name(mine.Kind)} locally, a {Name(theirs.Kind)} on the node"));
            }
            else if (ContentDiffers(mine, theirs) is { } detail)
            {
                differences.Add(new FolderDifference(mine.Path, DifferenceKind.Content, detail));
            }
        }

        differences.AddRange(nodeByPath.Values.Select(theirs => new FolderDifference(theirs.Path, DifferenceKind.MissingLocally, $"a {Name(theirs.Kind)} on the node, nothing locally")));
        differences.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return differences;
    }

    private static string? ContentDiffers(FolderEntry mine, FolderEntry theirs) => mine.Kind switch
    {
        FolderEntryKind.File when mine.Size != theirs.Size
            => string.Create(CultureInfo.InvariantCulture, $"size {mine.Size} bytes locally, {theirs.Size} on the node"),
        FolderEntryKind.File when !string.Equals(mine.Sha256, theirs.Sha256, StringComparison.OrdinalIgnoreCase)
            => $"same size, SHA-256 {Short(mine.Sha256)} locally, {Short(theirs.Sha256)} on the node",
        FolderEntryKind.Symlink when mine.LinkTarget != theirs.LinkTarget
            => $"link to '{mine.LinkTarget}' locally, to '{theirs.LinkTarget}' on the node",
        _ => null,
    };

    private static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;

    private static string Name(FolderEntryKind kind) => kind switch
    {
        FolderEntryKind.Directory => "directory",
        FolderEntryKind.Symlink => "symlink",
        _ => "file",
    };
}
