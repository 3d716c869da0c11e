namespace KSync.Engine.Identity;

/// <summary>
/// What makes two set-ups the same sync (docs/architecture.md, "Folder identity"): the same spec and local folder on
/// the same local device, and the same files on the node. Files on a volume (emptyDir, PVC, hostPath) are known by
/// their node path, which outlives container restarts; files in a container's own filesystem live exactly as long as
/// that container, so its ID is part of the key. Any other change (a new container without a volume, another local
/// folder, another local syncthing) is a different sync.
/// </summary>
/// <param name="Spec">The spec's name.</param>
/// <param name="LocalDeviceId">The local syncthing's device ID.</param>
/// <param name="LocalPath">The local folder.</param>
/// <param name="Node">The node the files live on.</param>
/// <param name="NodePath">The node path the node syncthing syncs.</param>
/// <param name="ContainerId">The container ID when the files are the container's own; empty on a volume.</param>
public sealed record SyncKey(string Spec, string LocalDeviceId, string LocalPath, string Node, string NodePath, string ContainerId);
