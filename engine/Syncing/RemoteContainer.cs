namespace KSync.Engine.Syncing;

/// <summary>
/// The container a sync targets, as the pod status reports it (the original's RemoteContainer). A new
/// <see cref="ContainerId"/> means a new container (restart or re-creation): its filesystem is fresh.
/// </summary>
/// <param name="PodName">Pod name.</param>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="NodeName">Node the pod runs on (where the node agent to ask lives).</param>
/// <param name="ContainerName">Container name in the pod.</param>
/// <param name="ContainerId">"&lt;runtime&gt;://&lt;id&gt;" (docker, containerd, cri-o), from status.containerStatuses[].containerID.</param>
/// <param name="RestartCount">The container's restartCount.</param>
/// <param name="PodUid">The pod's UID.</param>
public sealed record RemoteContainer(string PodName, string Namespace, string NodeName, string ContainerName, string ContainerId, int RestartCount, string PodUid)
{
    /// <summary>Gets the identity of the slot this container fills: namespace/pod/container.</summary>
    public string Key => $"{Namespace}/{PodName}/{ContainerName}";

    /// <summary>Gets the runtime scheme of <see cref="ContainerId"/> ("docker", "containerd", "cri-o").</summary>
    public string Runtime => ContainerId.Split("://", 2)[0];

    /// <summary>Gets the runtime's ID without the scheme.</summary>
    public string RuntimeId => ContainerId.Contains("://", StringComparison.Ordinal) ? ContainerId.Split("://", 2)[1] : ContainerId;
}
