using KSync.Lab.Nodes;

namespace KSync.E2E.Tests;

/// <summary>The churn sync on the lab's containerd node.</summary>
public sealed class ContainerdChurnSync : ChurnSync
{
    /// <inheritdoc/>
    public override NodeRuntime Runtime => NodeRuntime.Containerd;
}
