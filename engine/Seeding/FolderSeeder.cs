using System.Diagnostics;
using KSync.Engine.Nodes;
using KSync.Syncthing.Ignores;

namespace KSync.Engine.Seeding;

/// <summary>
/// A first sync's seed (docs/architecture.md, "The seed"): walks the local folder as the local syncthing sees it,
/// asks the node agent which entries the container's folder lacks (the manifest in batches), and streams only those.
/// Deletions are left to the first sync's revert, which knows the ignores exactly.
/// </summary>
public static class FolderSeeder
{
    /// <summary>Most manifest entries per plan request (the node agent's limit).</summary>
    public const int PlanBatch = 5000;

    /// <summary>Seeds a container's folder.</summary>
    /// <param name="agent">The node agent.</param>
    /// <param name="containerId">The container.</param>
    /// <param name="remotePath">The synced path in it (prepared).</param>
    /// <param name="localPath">The local folder.</param>
    /// <param name="ignoreLines">The local syncthing's ignore patterns for the folder.</param>
    /// <param name="progress">Told how far the seed is: once after the plan, then after each entry the agent took from
    /// the stream (its content sent), and once at the end; called on the streaming thread.</param>
    /// <param name="cancellationToken">Cancels the seed.</param>
    /// <returns>How many entries the manifest had, how many were sent, what the agent wrote, and how long it took.</returns>
    /// <exception cref="NodeAgentException">The agent refused or failed.</exception>
    /// <exception cref="IOException">The local folder cannot be read.</exception>
    public static async Task<SeedOutcome> SeedAsync(INodeAgent agent, string containerId, string remotePath, string localPath, IReadOnlyList<string> ignoreLines, Action<SeedProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var started = Stopwatch.GetTimestamp();
        var items = LocalTree.Walk(localPath, new IgnoreMatcher(ignoreLines)).ToList();
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in items.Chunk(PlanBatch))
        {
            needed.UnionWith(await agent.PlanSeedAsync(containerId, remotePath, batch, cancellationToken));
        }

        var sent = items.Where(i => needed.Contains(i.Path)).ToList();
        var bytesTotal = items.Sum(i => i.Size);
        var filesTotal = items.Count(i => i.Kind == SeedKind.File);
        var done = new SeedProgress(items.Count - sent.Count, items.Count, bytesTotal - sent.Sum(i => i.Size), bytesTotal)
        {
            FilesDone = filesTotal - sent.Count(i => i.Kind == SeedKind.File),
            FilesTotal = filesTotal,
        };
        progress?.Invoke(done);
        var result = sent.Count == 0
            ? new SeedResult(0, 0, 0, 0, [])
            : await agent.SeedAsync(containerId, remotePath, localPath, Reporting(sent, done, progress), cancellationToken);
        progress?.Invoke(new SeedProgress(items.Count, items.Count, bytesTotal, bytesTotal) { FilesDone = filesTotal, FilesTotal = filesTotal });
        return new SeedOutcome(items.Count, sent.Count, result, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The entries as the agent enumerates them: asking for the next means the previous one is sent.</summary>
    private static IEnumerable<SeedItem> Reporting(IEnumerable<SeedItem> entries, SeedProgress start, Action<SeedProgress>? progress)
    {
        var (entriesDone, filesDone, bytesDone) = (start.EntriesDone, start.FilesDone, start.BytesDone);
        foreach (var item in entries)
        {
            yield return item;
            entriesDone++;
            filesDone += item.Kind == SeedKind.File ? 1 : 0;
            bytesDone += item.Size;
            progress?.Invoke(start with { EntriesDone = entriesDone, FilesDone = filesDone, BytesDone = bytesDone });
        }
    }
}
