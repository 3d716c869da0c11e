namespace KSync.Engine.Nodes;

/// <summary>Where a container path lives on its node.</summary>
/// <param name="NodePath">The absolute path on the node the node syncthing syncs.</param>
/// <param name="Backend">Which runtime backend answered (e.g. <c>docker</c>, <c>containerd</c>, <c>proc</c>).</param>
/// <param name="OnVolume">True when the path lies on a volume (emptyDir, PVC, hostPath), which outlives the container.</param>
public sealed record ResolvedPath(string NodePath, string Backend, bool OnVolume);
