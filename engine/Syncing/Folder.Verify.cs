using KSync.Engine.Nodes;
using KSync.Engine.Verify;
using KSync.Syncthing;
using KSync.Syncthing.Ignores;
using KSync.Syncthing.Verify;

namespace KSync.Engine.Syncing;

/// <content>
/// <c>kubectl ksync wait --verify</c> (docs/architecture.md, "Verifying content"): walks the local folder and, through
/// radar's <c>HashFolder</c>, the container's, both with the ignore lines the local syncthing applies (which ksync also
/// gives the node), and compares content hashes with <see cref="FolderComparison"/>. Reads only.
/// </content>
public sealed partial class Folder
{
    /// <inheritdoc/>
    public async Task<IReadOnlyList<FolderDifference>> VerifyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _followedSession) is not { } session)
        {
            throw new SyncEngineException("the sync is not following the node, so its folder cannot be read");
        }

        IReadOnlyList<string> lines;
        IgnoreMatcher ignores;
        try
        {
            // As the node gets them (SharedFolder): the lines, or the expanded patterns when the folder uses #include.
            var read = await _context.Local.Endpoint.Client.GetIgnoresAsync(Id, cancellationToken);
            var written = read.Ignore ?? [];
            lines = written.Any(l => l.TrimStart().StartsWith("#include", StringComparison.Ordinal)) ? read.Expanded ?? [] : written;
            ignores = new IgnoreMatcher(lines);
        }
        catch (SyncthingException ex)
        {
            throw new SyncEngineException($"the local syncthing did not give the folder's ignores: {ex.Message}", innerException: ex);
        }
        catch (ArgumentException ex)
        {
            throw new SyncEngineException($"the folder's ignores cannot be read: {ex.Message}", innerException: ex);
        }

        var localWalk = Task.Run(() => FolderWalker.Walk(_spec.LocalPath, ignores, cancellationToken).ToList(), cancellationToken);
        var node = new List<FolderEntry>();
        try
        {
            await foreach (var entry in session.Agent.HashFolderAsync(_container.ContainerId, _spec.RemotePath, lines, cancellationToken))
            {
                node.Add(entry);
            }
        }
        catch (NodeAgentException ex)
        {
            throw new SyncEngineException($"radar on node {_container.NodeName} could not hash {_spec.RemotePath}: {ex.Detail} ({ex.Code})", innerException: ex);
        }

        List<FolderEntry> local;
        try
        {
            local = await localWalk;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SyncEngineException($"cannot read the local folder {_spec.LocalPath}: {ex.Message}", innerException: ex);
        }

        return FolderComparison.Compare(local, node);
    }
}
