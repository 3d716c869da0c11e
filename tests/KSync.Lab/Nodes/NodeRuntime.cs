namespace KSync.Lab.Nodes;

/// <summary>The container runtime a lab node runs its pods with.</summary>
public enum NodeRuntime
{
    /// <summary>A private Docker engine (Engine API); containers are reported as <c>docker://ID</c>.</summary>
    Docker,

    /// <summary>A private containerd driven through its CRI plugin; containers are reported as <c>containerd://ID</c>.</summary>
    Containerd,
}
