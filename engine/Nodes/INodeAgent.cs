using KSync.Engine.Seeding;
using KSync.Syncthing.Verify;

namespace KSync.Engine.Nodes;

/// <summary>
/// The requests a Folder makes of the node agent (radar). Failures are <see cref="NodeAgentException"/>s;
/// cancellation is an <see cref="OperationCanceledException"/>.
/// </summary>
public interface INodeAgent
{
    /// <summary>Finds where a path of a container lives on the node (the container's filesystem, or the volume behind it).</summary>
    /// <param name="containerId">The container, <c>&lt;runtime&gt;://&lt;id&gt;</c>.</param>
    /// <param name="remotePath">An absolute path inside the container.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The node path and how it was found.</returns>
    /// <exception cref="NodeAgentException">The container is unknown, the path unsafe, or the runtime unreachable.</exception>
    Task<ResolvedPath> ResolvePathAsync(string containerId, string remotePath, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the synced folder an owner the container can use before the node syncthing writes into it: creates it and
    /// the missing directories above it, and gives them and an existing folder root the owner (docs/architecture.md,
    /// "Files land usable").
    /// </summary>
    /// <param name="containerId">The container.</param>
    /// <param name="remotePath">An absolute path inside the container.</param>
    /// <param name="requested">The owner the spec asks for (<c>--owner</c>): user and optional group; null to let the agent decide.</param>
    /// <param name="mode">Permission bits for directories the agent creates (the local folder's).</param>
    /// <param name="dryRun">Only report what would be done (<c>doctor</c>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The owner and whether the node could give it.</returns>
    /// <exception cref="NodeAgentException">The container is unknown or not running, the path unsafe, or a directory cannot be created.</exception>
    Task<FolderOwnership> PrepareFolderAsync(string containerId, string remotePath, (uint Uid, uint? Gid)? requested, UnixFileMode mode, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Asks which entries of part of the local manifest the container's folder does not hold yet (docs/architecture.md, "The seed").</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="remotePath">An absolute path inside the container (prepared).</param>
    /// <param name="entries">At most <see cref="FolderSeeder.PlanBatch"/> entries.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The needed entries' paths.</returns>
    /// <exception cref="NodeAgentException">The request failed; InvalidArgument names an entry the agent refuses.</exception>
    Task<IReadOnlyList<string>> PlanSeedAsync(string containerId, string remotePath, IReadOnlyList<SeedItem> entries, CancellationToken cancellationToken);

    /// <summary>Streams entries and the files' contents (read from <paramref name="localPath"/>) into the container's folder.</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="remotePath">An absolute path inside the container (prepared).</param>
    /// <param name="localPath">The local folder the entries are relative to.</param>
    /// <param name="entries">The entries, each directory before what it holds; enumerated once, lazily.</param>
    /// <param name="cancellationToken">Cancels the stream (files written so far stay; none is half-written).</param>
    /// <returns>What was written.</returns>
    /// <exception cref="NodeAgentException">The stream failed or was refused.</exception>
    Task<SeedResult> SeedAsync(string containerId, string remotePath, string localPath, IEnumerable<SeedItem> entries, CancellationToken cancellationToken);

    /// <summary>Restarts the container (stop with a grace period, then start), keeping the synced files.</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="remotePath">The synced path (the agent refuses a restart that would lose it).</param>
    /// <param name="grace">How long the container may take to stop before it is killed.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>Whether it restarted, or why a signal should be sent instead.</returns>
    /// <exception cref="NodeAgentException">The request failed.</exception>
    Task<RestartResult> RestartAsync(string containerId, string remotePath, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Sends a signal to the container's main process.</summary>
    /// <param name="containerId">The container.</param>
    /// <param name="signal">The signal's name without <c>SIG</c>, e.g. <c>HUP</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The process that got it.</returns>
    /// <exception cref="NodeAgentException">The request failed.</exception>
    Task<SignalResult> SignalAsync(string containerId, string signal, CancellationToken cancellationToken);

    /// <summary>
    /// Walks the container's synced folder on the node and streams its entries with content hashes
    /// (<see cref="FolderWalker"/>: confined, links never followed), for <c>wait --verify</c>.
    /// </summary>
    /// <param name="containerId">The container.</param>
    /// <param name="remotePath">The synced path inside the container.</param>
    /// <param name="ignoreLines">The folder's ignore lines, syncthing syntax, includes expanded.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The entries as the node finds them.</returns>
    /// <exception cref="NodeAgentException">The container is unknown, the folder unreadable, or the request failed.</exception>
    IAsyncEnumerable<FolderEntry> HashFolderAsync(string containerId, string remotePath, IReadOnlyList<string> ignoreLines, CancellationToken cancellationToken);
}
