using KSync.Config.Model;

namespace KSync.Engine.Syncing;

/// <summary>Where a Spec learns which containers match it: the Kubernetes pod watch, or a fake in tests.</summary>
public interface IContainerSource
{
    /// <summary>
    /// Follows the containers matching <paramref name="spec"/>: yields the complete set of running matching
    /// containers now and after every change. Transient API trouble is retried inside; the sequence ends only when
    /// cancelled.
    /// </summary>
    /// <param name="spec">The spec's details (namespace, pod name, selector, container name).</param>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>Snapshots of the matching containers.</returns>
    IAsyncEnumerable<IReadOnlyList<RemoteContainer>> WatchAsync(SpecDetails spec, CancellationToken cancellationToken);
}
