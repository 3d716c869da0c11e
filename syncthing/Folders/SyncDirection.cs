namespace KSync.Syncthing.Folders;

/// <summary>
/// Which way a synced folder's changes flow, from the spec's <c>localreadonly</c>/<c>remotereadonly</c> flags. Mapped to
/// syncthing folder types by <see cref="FolderTypes.For(SyncDirection)"/>.
/// </summary>
public enum SyncDirection
{
    /// <summary>Both sides' changes sync (the default): sendreceive on both.</summary>
    TwoWay,

    /// <summary><c>localreadonly</c>: the local folder is only read: local sendonly, remote receiveonly. Remote edits never come back.</summary>
    LocalReadOnly,

    /// <summary><c>remotereadonly</c>: the remote folder is only read: remote sendonly, local receiveonly. Local edits never go out.</summary>
    RemoteReadOnly,
}
