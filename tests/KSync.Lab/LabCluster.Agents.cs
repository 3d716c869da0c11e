using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab;

/// <content>Test hooks on the node agents.</content>
public sealed partial class LabCluster
{
    /// <summary>Names of the agent pods (pods owned by a DaemonSet), by node.</summary>
    /// <returns>Node name → pod name, for pods not being deleted.</returns>
    public IReadOnlyDictionary<string, string> AgentPods()
        => Store.List(ResourceKind.Pods, null, p => p["metadata"]?["ownerReferences"] is JsonArray && p["metadata"]?["deletionTimestamp"] is null).Items
            .GroupBy(p => (string?)p["spec"]?["nodeName"] ?? string.Empty)
            .ToDictionary(g => g.Key, g => ObjectStore.NameOf(g.Last()));

    /// <summary>
    /// Replaces the node agent on <paramref name="node"/>: its pod is deleted (processes stop) and the DaemonSet
    /// controller creates a new pod with a new name and new processes.
    /// </summary>
    /// <param name="node">Node name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new pod's name, once it exists.</returns>
    public async Task<string> ReplaceAgentAsync(string node, CancellationToken cancellationToken = default)
    {
        var old = AgentPods().GetValueOrDefault(node) ?? throw new InvalidOperationException($"No agent pod on {node}.");
        var pod = Store.List(ResourceKind.Pods, null, p => ObjectStore.NameOf(p) == old).Items.Single();
        Store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), old, p =>
        {
            p["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
            return true;
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (AgentPods().GetValueOrDefault(node) is string fresh && fresh != old)
            {
                return fresh;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
