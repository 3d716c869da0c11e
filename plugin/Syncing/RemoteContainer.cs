namespace KSync.Plugin.Syncing;

/// <summary>
/// The remote side of a spec: one running container of a matching pod, as the pod's status reports it
/// (Kubernetes API: PodStatus.containerStatuses).
/// </summary>
/// <param name="PodName">The pod's name.</param>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="NodeName">The node the pod runs on (spec.nodeName).</param>
/// <param name="ContainerName">The container's name.</param>
/// <param name="ContainerId">The container ID with its runtime scheme, e.g. <c>containerd://4f3a…</c>.</param>
/// <param name="RestartCount">The container's restart count.</param>
/// <param name="PodUid">The pod's UID (a recreated pod of the same name has a new one).</param>
internal sealed record RemoteContainer(
    string PodName,
    string Namespace,
    string NodeName,
    string ContainerName,
    string ContainerId,
    int RestartCount,
    string PodUid)
{
    /// <summary>Gets the identity of the slot this container fills: namespace/pod/container.</summary>
    public string Key => $"{Namespace}/{PodName}/{ContainerName}";

    /// <summary>Gets the runtime scheme of <see cref="ContainerId"/>: <c>docker</c>, <c>containerd</c>, <c>cri-o</c>.</summary>
    public string Runtime => ContainerId.IndexOf("://", StringComparison.Ordinal) is var i and > 0 ? ContainerId[..i] : string.Empty;

    /// <inheritdoc/>
    public override string ToString() => $"{Key} ({ContainerId})";
}
