using KSync.Syncthing.Client;

namespace KSync.Syncthing.Folders;

/// <summary>
/// A resume (docs/architecture.md, "The resume rule"): both sides keep their folder and databases, so syncthing
/// exchanges only what changed while they were apart and merges it. Read-only modes keep their meaning: a receiveonly
/// remote (<see cref="SyncDirection.LocalReadOnly"/>) mirrors the local folder, so what the container changed on its
/// own is reverted, as in a first sync. A receiveonly local side keeps the user's edits (never sent, never reverted).
/// </summary>
public sealed partial class SharedFolder
{
    private async Task RevertReadOnlyRemoteAsync(CancellationToken cancellationToken)
    {
        if (Types.Remote != FolderType.ReceiveOnly)
        {
            return;
        }

        // The scan call returns when the scan is done, so the count below includes what changed while apart.
        await _remote.Client.ScanAsync(Spec.FolderId, null, cancellationToken);
        var status = await _remote.Client.GetFolderStatusAsync(Spec.FolderId, cancellationToken);
        if (status.ReceiveOnlyChangedItems > 0)
        {
            await _remote.Client.RevertAsync(Spec.FolderId, cancellationToken);
            Log.RemoteReverted(_logger, Spec.FolderId, status.ReceiveOnlyChangedItems);
        }
    }
}
