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
    /// <param name="cancellationToken">Cancels the seed.</param>
    /// <returns>How many entries the manifest had, how many were sent, what the agent wrote, and how long it took.</returns>
    /// <exception cref="NodeAgentException">The agent refused or failed.</exception>
    /// <exception cref="IOException">The local folder cannot be read.</exception>
    public static async Task<SeedOutcome> SeedAsync(INodeAgent agent, string containerId, string remotePath, string localPath, IReadOnlyList<string> ignoreLines, CancellationToken cancellationToken)
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
        var result = sent.Count == 0
            ? new SeedResult(0, 0, 0, 0, [])
            : await agent.SeedAsync(containerId, remotePath, localPath, sent, cancellationToken);
        return new SeedOutcome(items.Count, sent.Count, result, Stopwatch.GetElapsedTime(started));
    }
}
