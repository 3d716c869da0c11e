namespace KSync.Syncthing.Client;

/// <summary>
/// syncthing's folder types (syncthing docs "Folder Types"): what a device does with its own changes and with
/// changes from others.
/// </summary>
public static class FolderType
{
    /// <summary>Sends local changes and applies remote ones (two-way).</summary>
    public const string SendReceive = "sendreceive";

    /// <summary>Sends local changes, never applies remote ones (they show as out of sync; <c>/rest/db/override</c> undoes them).</summary>
    public const string SendOnly = "sendonly";

    /// <summary>Applies remote changes, never sends local ones (they are kept aside; <c>/rest/db/revert</c> undoes them).</summary>
    public const string ReceiveOnly = "receiveonly";
}
