using System.Text.Json.Serialization;
using KSync.Syncthing.Folders;

namespace KSync.Engine.Identity;

/// <summary>
/// One sync ksync set up, as the state file keeps it (docs/architecture.md, "Folder identity"): the folder ID both
/// syncthings know it by, what it syncs (the container and the node path of its files) and how far it got. Written
/// before either syncthing is configured (an intent record), so a crash never leaves a folder nobody knows.
/// </summary>
public sealed record SyncRecord
{
    /// <summary>Gets the syncthing folder ID, the same on both sides.</summary>
    public required string FolderId { get; init; }

    /// <summary>Gets the spec's name.</summary>
    public required string Spec { get; init; }

    /// <summary>Gets the pod's namespace.</summary>
    public required string Namespace { get; init; }

    /// <summary>Gets the pod's name when the sync was last set up.</summary>
    public required string Pod { get; init; }

    /// <summary>Gets the pod's UID when the sync was last set up.</summary>
    public required string PodUid { get; init; }

    /// <summary>Gets the container's name in the pod.</summary>
    public required string Container { get; init; }

    /// <summary>Gets the container ID (<c>&lt;runtime&gt;://&lt;id&gt;</c>) when the sync was last set up.</summary>
    public required string ContainerId { get; init; }

    /// <summary>Gets the node the files live on.</summary>
    public required string Node { get; init; }

    /// <summary>Gets the node path the node syncthing syncs.</summary>
    public required string NodePath { get; init; }

    /// <summary>Gets a value indicating whether <see cref="NodePath"/> lies on a volume (it outlives the container).</summary>
    public bool OnVolume { get; init; }

    /// <summary>Gets the synced path inside the container (the spec's remote path).</summary>
    public required string RemotePath { get; init; }

    /// <summary>Gets the local folder.</summary>
    public required string LocalPath { get; init; }

    /// <summary>Gets the local syncthing's device ID.</summary>
    public required string LocalDeviceId { get; init; }

    /// <summary>Gets the node syncthing's device ID when the sync was last set up.</summary>
    public required string RemoteDeviceId { get; init; }

    /// <summary>Gets the sync direction when the sync was last set up.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SyncDirection>))]
    public SyncDirection Direction { get; init; }

    /// <summary>Gets when this folder ID was first set up.</summary>
    public DateTimeOffset SetUpAt { get; init; }

    /// <summary>
    /// Gets when a sync of this folder last completed (the first sync, or a resume); null while its first sync never
    /// finished, so the next set-up is a first sync again.
    /// </summary>
    public DateTimeOffset? SyncedAt { get; init; }

    /// <summary>Gets the identity this record belongs to.</summary>
    [JsonIgnore]
    public SyncKey Key => new(Spec, LocalDeviceId, LocalPath, Node, NodePath, OnVolume ? string.Empty : ContainerId);
}
