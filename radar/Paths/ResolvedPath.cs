namespace KSync.Radar.Paths;

/// <summary>Where a container path lives on the node (the answer of GetBasePath).</summary>
/// <param name="NodePath">Absolute node path; always inside <paramref name="ContainerRoot"/> or the mount's source.</param>
/// <param name="Backend">"docker", "containerd", "cri-o", or "proc" when the path goes through <c>/proc/&lt;pid&gt;/root</c>.</param>
/// <param name="OnVolume">Whether the path lies on a mount of the container (files survive container restarts).</param>
/// <param name="ContainerRoot">The root filesystem used: the runtime's root path or <c>/proc/&lt;pid&gt;/root</c>.</param>
/// <param name="MountDestination">When on a volume, the mount's path inside the container; else empty.</param>
/// <param name="ContainerPath">The container path after resolving symlinks inside the container.</param>
internal sealed record ResolvedPath(string NodePath, string Backend, bool OnVolume, string ContainerRoot, string MountDestination, string ContainerPath);
