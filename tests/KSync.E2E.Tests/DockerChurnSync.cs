using KSync.Lab.Nodes;

namespace KSync.E2E.Tests;

/// <summary>The churn sync on the lab's Docker node.</summary>
public sealed class DockerChurnSync : ChurnSync
{
    /// <inheritdoc/>
    public override NodeRuntime Runtime => NodeRuntime.Docker;
}
