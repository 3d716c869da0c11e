using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using k8s;
using k8s.Models;

namespace KSync.Plugin.Cluster;

/// <summary>
/// Finds the node agent pod (DaemonSet "ksync") on a node: pods in the ksync namespace with the agent's labels
/// (<see cref="NodeAgent.PodSelector"/>) and <c>spec.nodeName</c> (field selector), preferring a Ready one,
/// newest first. The original looked up its agent the same way.
/// </summary>
internal sealed class NodeAgentLocator
{
    private readonly Kubernetes _client;

    /// <summary>Creates the locator.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="agentNamespace">Namespace of the DaemonSet; default "ksync".</param>
    public NodeAgentLocator(Kubernetes client, string agentNamespace = NodeAgent.DefaultNamespace)
    {
        _client = client;
        Namespace = agentNamespace;
    }

    /// <summary>Gets the agents' namespace.</summary>
    public string Namespace { get; }

    /// <summary>Finds the agent pod on <paramref name="nodeName"/> that is Running and Ready.</summary>
    /// <param name="nodeName">The node.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The pod.</returns>
    /// <exception cref="KsyncException">No ready agent runs on the node (the message says what was found).</exception>
    public async Task<V1Pod> FindAsync(string nodeName, CancellationToken cancellationToken)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(
            Namespace,
            labelSelector: NodeAgent.PodSelector,
            fieldSelector: $"spec.nodeName={nodeName}",
            cancellationToken: cancellationToken);
        var ready = pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running" && IsReady(p))
            .OrderByDescending(p => p.Metadata.CreationTimestamp)
            .FirstOrDefault();
        if (ready is not null)
        {
            return ready;
        }

        var found = pods.Items.Count == 0
            ? "no agent pod"
            : string.Join(", ", pods.Items.Select(p => $"{p.Metadata.Name} ({p.Status?.Phase ?? "unknown"}{(IsReady(p) ? string.Empty : ", not ready")})"));
        throw new KsyncException(
            $"No ready ksync node agent on node '{nodeName}' (namespace {Namespace}): {found}.",
            "Run 'kubectl ksync init' (or 'kubectl ksync doctor' to see why the agent is not ready).");
    }

    /// <summary>Whether the pod's Ready condition is True.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>True when ready.</returns>
    public static bool IsReady(V1Pod pod)
        => pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
}
