using System.Runtime.CompilerServices;
using KSync.Config.Model;
using KSync.Config.Validation;
using KSync.Engine.Syncing;
using Microsoft.Extensions.Logging;
using KubernetesClient = k8s.Kubernetes;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The containers matching a spec, from a pod watch on the Kubernetes API (<see cref="PodInformer"/>: list, watch
/// from the resourceVersion, resume, re-list on 410, backoff on drops — it never gives up). Matching is by exact pod
/// name and/or label selector in the spec's namespace (<see cref="PodMatcher"/>): Running pods whose named (or
/// first) container is running. A new snapshot is yielded whenever the set of matching containers changes.
/// </summary>
/// <param name="client">The Kubernetes client.</param>
/// <param name="connections">Where each pod watch's connection state is reported.</param>
/// <param name="loggers">Makes the informers' loggers.</param>
internal sealed class PodContainerSource(KubernetesClient client, ApiConnections connections, ILoggerFactory loggers) : IContainerSource
{
    /// <inheritdoc/>
    public async IAsyncEnumerable<IReadOnlyList<RemoteContainer>> WatchAsync(SpecDetails spec, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var matcher = new PodMatcher(
            spec.Pod.Length == 0 ? null : spec.Pod,
            spec.Selector.Count == 0 ? null : LabelSelector.Parse(spec.Selector),
            spec.ContainerName.Length == 0 ? null : spec.ContainerName);
        await using var informer = new PodInformer(client, matcher.Selection(spec.Namespace), loggers.CreateLogger("KSync.Plugin.Cluster.PodInformer"));
        using var tracked = connections.Track(informer);
        informer.Start();
        await informer.ReadyAsync(cancellationToken);
        IReadOnlyList<RemoteContainer>? last = null;
        while (true)
        {
            var current = informer.Pods
                .Select(matcher.Match)
                .OfType<RemoteContainer>()
                .OrderBy(c => c.Key, StringComparer.Ordinal)
                .ToList();
            if (last is null || !current.SequenceEqual(last))
            {
                last = current;
                yield return current;
            }

            await informer.Events.WaitToReadAsync(cancellationToken);
            while (informer.Events.TryRead(out _))
            {
                // Drained: the snapshot above is recomputed from the informer's pod cache.
            }
        }
    }
}
