using KSync.Proto.Radar.V1;
using KSync.Radar.Runtimes;
using KSync.Syncthing.Ignores;
using KSync.Syncthing.Verify;

namespace KSync.Radar.Verify;

/// <summary>
/// Radar's side of <c>HashFolder</c> (proto/radar.proto): walks a node path with <see cref="FolderWalker"/> (confined,
/// never following links) and writes each entry as it is found. Errors become gRPC statuses.
/// </summary>
internal static class FolderHashes
{
    /// <summary>Streams the entries of <paramref name="nodePath"/>.</summary>
    /// <param name="nodePath">The folder as radar sees it (GetBasePath's node path).</param>
    /// <param name="ignoreLines">The folder's ignore lines.</param>
    /// <param name="write">Sends one entry.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>How many entries were sent.</returns>
    /// <exception cref="Grpc.Core.RpcException">INVALID_ARGUMENT for a bad pattern, FAILED_PRECONDITION for a folder that is not there or unreadable.</exception>
    public static async Task<int> StreamAsync(string nodePath, IEnumerable<string> ignoreLines, Func<HashFolderEntry, Task> write, CancellationToken cancellationToken)
    {
        IgnoreMatcher ignores;
        try
        {
            ignores = new IgnoreMatcher(ignoreLines);
        }
        catch (ArgumentException ex)
        {
            throw RadarErrors.InvalidArgument(ex.Message);
        }

        var count = 0;
        try
        {
            foreach (var entry in FolderWalker.Walk(nodePath, ignores, cancellationToken))
            {
                await write(ToProto(entry));
                count++;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RadarErrors.FailedPrecondition($"cannot read {nodePath}: {ex.Message}");
        }

        return count;
    }

    /// <summary>Maps a walk entry to its wire form.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The message.</returns>
    public static HashFolderEntry ToProto(FolderEntry entry) => new()
    {
        Path = entry.Path,
        Type = entry.Kind switch
        {
            FolderEntryKind.Directory => HashEntryType.Directory,
            FolderEntryKind.Symlink => HashEntryType.Symlink,
            _ => HashEntryType.File,
        },
        Size = entry.Size,
        Sha256 = entry.Sha256,
        LinkTarget = entry.LinkTarget,
    };
}
