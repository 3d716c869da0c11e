namespace KSync.Lab;

/// <summary>How to build a lab cluster. Defaults give two nodes, the second tainted.</summary>
public sealed class LabOptions
{
    /// <summary>Gets the number of nodes (lab-node-1 ... lab-node-N); default 2.</summary>
    public int NodeCount { get; init; } = 2;

    /// <summary>Gets the names of nodes that carry the NoSchedule taint; default lab-node-2.</summary>
    public IReadOnlyList<string> TaintedNodes { get; init; } = ["lab-node-2"];

    /// <summary>Gets the folder for the lab's state (kubeconfig, node folders, logs); null = a new temp folder.</summary>
    public string? RootDirectory { get; init; }

    /// <summary>Gets a value indicating whether node agents (radar + syncthing) run for the DaemonSet; default true.</summary>
    public bool RunNodeAgents { get; init; } = true;

    /// <summary>Gets the API server port; 0 = a free port.</summary>
    public int ApiPort { get; init; }

    /// <summary>Gets the name of the kubeconfig context (and cluster and user); default "ksync-lab".</summary>
    public string ContextName { get; init; } = "ksync-lab";
}
