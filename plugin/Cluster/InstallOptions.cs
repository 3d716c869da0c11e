using KSync.Plugin.Cluster.Manifests;

namespace KSync.Plugin.Cluster;

/// <summary>What <c>init --remote</c> installs and how long it waits.</summary>
internal sealed class InstallOptions
{
    /// <summary>Gets the namespace of the node agent; default "ksync".</summary>
    public string Namespace { get; init; } = NodeAgent.DefaultNamespace;

    /// <summary>Gets the node agent image, or null for <see cref="ManifestSettings.DefaultImage"/>.</summary>
    public string? Image { get; init; }

    /// <summary>Gets a value indicating whether existing objects are updated (<c>--upgrade</c>); else they are left as they are.</summary>
    public bool Upgrade { get; init; }

    /// <summary>Gets how long to wait for the agents to be ready on every node; default 5 min.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
