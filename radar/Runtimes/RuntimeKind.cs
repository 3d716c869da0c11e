namespace KSync.Radar.Runtimes;

/// <summary>The container runtimes radar serves, by the scheme of a pod status' <c>containerID</c>.</summary>
internal enum RuntimeKind
{
    /// <summary><c>docker://</c>: Docker Engine (dockershim, cri-dockerd, the lab).</summary>
    Docker,

    /// <summary><c>containerd://</c>: containerd's CRI plugin (also k3s, RKE2, kind, most managed clusters).</summary>
    Containerd,

    /// <summary><c>cri-o://</c>: CRI-O (OpenShift and others).</summary>
    CriO,
}
