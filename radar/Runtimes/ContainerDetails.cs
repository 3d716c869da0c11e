namespace KSync.Radar.Runtimes;

/// <summary>What a runtime reports about one container, in the terms radar needs.</summary>
/// <param name="Ref">The container.</param>
/// <param name="Running">Whether its main process runs.</param>
/// <param name="Pid">Main process ID on the node (0 when not running or unknown).</param>
/// <param name="RootPath">The root filesystem as a node path (Docker MergedDir, containerd task rootfs, CRI-O mountpoint), or null when the runtime gives none.</param>
/// <param name="Mounts">Mounts with a node source (volumes, binds, emptyDir, PVC, hostPath).</param>
/// <param name="Labels">The runtime's labels (the kubelet's <c>io.kubernetes.*</c>).</param>
internal sealed record ContainerDetails(
    ContainerRef Ref,
    bool Running,
    int Pid,
    string? RootPath,
    IReadOnlyList<ContainerMount> Mounts,
    IReadOnlyDictionary<string, string> Labels);
