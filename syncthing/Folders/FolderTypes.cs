using KSync.Syncthing.Client;

namespace KSync.Syncthing.Folders;

/// <summary>The syncthing folder type on each side for a <see cref="SyncDirection"/>.</summary>
/// <param name="Local">Type of the local folder (a <see cref="FolderType"/> value).</param>
/// <param name="Remote">Type of the remote folder (a <see cref="FolderType"/> value).</param>
public sealed record FolderTypes(string Local, string Remote)
{
    /// <summary>
    /// Maps a direction to folder types: two-way = sendreceive/sendreceive; localreadonly = local sendonly, remote
    /// receiveonly; remotereadonly = remote sendonly, local receiveonly.
    /// </summary>
    /// <param name="direction">The direction.</param>
    /// <returns>The types.</returns>
    public static FolderTypes For(SyncDirection direction) => direction switch
    {
        SyncDirection.TwoWay => new(FolderType.SendReceive, FolderType.SendReceive),
        SyncDirection.LocalReadOnly => new(FolderType.SendOnly, FolderType.ReceiveOnly),
        SyncDirection.RemoteReadOnly => new(FolderType.ReceiveOnly, FolderType.SendOnly),
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown sync direction."),
    };

    /// <summary>
    /// Gets the types used while a new remote gets its first copy (docs/architecture.md, "The first-sync rule"): the remote is receiveonly (its own
    /// changes are kept aside and reverted), and the local side must send, so a receiveonly local becomes sendonly.
    /// </summary>
    public FolderTypes Seeding => new(Local == FolderType.ReceiveOnly ? FolderType.SendOnly : Local, FolderType.ReceiveOnly);
}
