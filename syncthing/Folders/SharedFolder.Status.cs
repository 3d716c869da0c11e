namespace KSync.Syncthing.Folders;

/// <summary>Status of a synced folder, read on demand from both sides.</summary>
public sealed partial class SharedFolder
{
    /// <summary>
    /// Reads both sides: <c>GET /rest/db/status</c> on each and <c>GET /rest/db/completion?device=remote</c> on the local
    /// side (syncthing REST: Database Endpoints).
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="SyncthingException">A REST call failed.</exception>
    public async Task<SharedFolderStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var local = await _local.Client.GetFolderStatusAsync(Spec.FolderId, cancellationToken);
        var remote = await _remote.Client.GetFolderStatusAsync(Spec.FolderId, cancellationToken);
        var completion = await _local.Client.GetCompletionAsync(Spec.FolderId, _remote.DeviceId, cancellationToken);
        var error = string.IsNullOrEmpty(local.Error) ? (string.IsNullOrEmpty(remote.Error) ? null : remote.Error) : local.Error;
        return new SharedFolderStatus(local.State, remote.State, completion.Completion, local.NeedTotalItems, remote.NeedTotalItems, _seeding, error);
    }

    /// <summary>
    /// Waits until both sides are idle, need nothing, agree on the global state (same global file, directory and byte
    /// counts) and the remote is complete.
    /// </summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The final status.</returns>
    /// <exception cref="SyncthingException">Not in sync within <paramref name="timeout"/>.</exception>
    public async Task<SharedFolderStatus> WaitUntilInSyncAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        SharedFolderStatus? status = null;
        while (_time.GetElapsedTime(started) < timeout)
        {
            status = await GetStatusAsync(cancellationToken);
            if (status.IsInSync)
            {
                var local = await _local.Client.GetFolderStatusAsync(Spec.FolderId, cancellationToken);
                var remote = await _remote.Client.GetFolderStatusAsync(Spec.FolderId, cancellationToken);
                if (local.GlobalFiles == remote.GlobalFiles && local.GlobalDirectories == remote.GlobalDirectories && local.GlobalBytes == remote.GlobalBytes)
                {
                    return status;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
        }

        throw new SyncthingException($"Folder {Spec.FolderId} was not in sync within {timeout.TotalSeconds:0.#} s (last status: {status}).");
    }
}
