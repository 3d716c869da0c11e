using KSync.Syncthing.Client;

namespace KSync.Syncthing.Folders;

/// <summary>
/// The first sync of a new remote (docs/architecture.md, "The first-sync rule": the local folder is the source of
/// truth). The remote folder is
/// receiveonly, so nothing it holds is ever sent: files that differ from the local ones, and files only it has, are
/// "receive-only changes" (syncthing docs "Folder Types"), which <c>POST /rest/db/revert</c> drops in favour of the
/// local state, while local-only files arrive by the normal pull. Done when the remote is idle, needs nothing, has no
/// receive-only changes, and its local and global counts equal the local side's local counts (docs/architecture.md,
/// "syncthing facts": sync done; the reliable check is on the receiver). Then each side takes its configured type.
/// </summary>
public sealed partial class SharedFolder
{
    private static readonly TimeSpan s_seedPoll = TimeSpan.FromMilliseconds(50);

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        _seeding = true;
        Log.Seeding(_logger, Spec.FolderId);
        var started = _time.GetTimestamp();
        var reverts = 0;
        DbStatus? local = null;
        DbStatus? remote = null;
        try
        {
            while (true)
            {
                if (_time.GetElapsedTime(started) > Spec.FirstSyncTimeout)
                {
                    throw new SyncthingException(
                        $"The first sync of folder {Spec.FolderId} did not finish within {Spec.FirstSyncTimeout.TotalMinutes:0.#} min " +
                        $"(local {local?.State} {local?.LocalFiles} files, remote {remote?.State} {remote?.LocalFiles} files, needs {remote?.NeedTotalItems}; {local?.Error ?? remote?.Error}).",
                        "Check both syncthing logs; a very large folder may need more ignores (.stignore, .gitignore).");
                }

                local = await _local.Client.GetFolderStatusAsync(Spec.FolderId, cancellationToken);
                remote = await _remote.Client.GetFolderStatusAsync(Spec.FolderId, cancellationToken);
                if (local.State == "idle" && remote.State == "idle")
                {
                    if (remote.ReceiveOnlyChangedItems > 0)
                    {
                        // The remote holds files of its own (older, different, or not in the local folder): drop them.
                        await _remote.Client.RevertAsync(Spec.FolderId, cancellationToken);
                        reverts++;
                    }
                    else if (remote.NeedTotalItems == 0
                             && remote.GlobalFiles == local.LocalFiles
                             && remote.GlobalDirectories == local.LocalDirectories
                             && remote.GlobalBytes == local.LocalBytes
                             && remote.LocalFiles == local.LocalFiles
                             && remote.LocalBytes == local.LocalBytes)
                    {
                        break;
                    }
                }

                await Task.Delay(s_seedPoll, _time, cancellationToken);
            }

            var seedTypes = Types.Seeding;
            if (Types.Remote != seedTypes.Remote)
            {
                await _remote.Client.PatchFolderAsync(Spec.FolderId, new FolderConfiguration { Type = Types.Remote }, cancellationToken);
            }

            if (Types.Local != seedTypes.Local)
            {
                await _local.Client.PatchFolderAsync(Spec.FolderId, new FolderConfiguration { Type = Types.Local }, cancellationToken);
            }

            var seconds = _time.GetElapsedTime(started).TotalSeconds;
            Log.Seeded(_logger, Spec.FolderId, local.LocalFiles, reverts, seconds);
        }
        finally
        {
            _seeding = false;
        }
    }
}
