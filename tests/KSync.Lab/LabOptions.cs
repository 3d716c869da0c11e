using KSync.Lab.Nodes;

namespace KSync.Lab;

/// <summary>
/// How to build a lab cluster. Defaults give two nodes, each with its own engine: lab-node-1 on Docker, and
/// lab-node-2 on containerd (CRI) with the NoSchedule taint, so pods without a toleration land on lab-node-1.
/// </summary>
public sealed class LabOptions
{
    /// <summary>Gets the number of nodes (lab-node-1 ... lab-node-N; odd ones run Docker, even ones containerd); default 2.</summary>
    public int NodeCount { get; init; } = 2;

    /// <summary>Gets the names of nodes that carry the NoSchedule taint; default lab-node-2.</summary>
    public IReadOnlyList<string> TaintedNodes { get; init; } = ["lab-node-2"];

    /// <summary>Gets the folder for the lab's state (kubeconfig, logs); null = a new temp folder.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>Gets the API server port; 0 = a free port.</summary>
    public int ApiPort { get; init; }

    /// <summary>Gets the name of the kubeconfig context (and cluster and user); default "ksync-lab".</summary>
    public string ContextName { get; init; } = "ksync-lab";

    /// <summary>The runtime of node <paramref name="index"/> (1-based): Docker for odd, containerd for even.</summary>
    /// <param name="index">Node index.</param>
    /// <returns>The runtime.</returns>
    public static NodeRuntime RuntimeOf(int index) => index % 2 == 1 ? NodeRuntime.Docker : NodeRuntime.Containerd;
}
