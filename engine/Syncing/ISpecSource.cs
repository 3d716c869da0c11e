using KSync.Config.Sources;

namespace KSync.Engine.Syncing;

/// <summary>Where the SpecList learns which specs to run: ksync.yaml followed live (the plugin), or a fake in tests.</summary>
public interface ISpecSource
{
    /// <summary>
    /// Follows the specs: yields every spec now and again after every change, in file order. A config that stops
    /// parsing is skipped (the last good specs stay); the sequence ends only when cancelled.
    /// </summary>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>Snapshots of all specs.</returns>
    /// <exception cref="Exception">The specs cannot be read when following starts (the message says why).</exception>
    IAsyncEnumerable<ResolvedSpecs> FollowAsync(CancellationToken cancellationToken);
}
