using System.Threading.Channels;
using KSync.Plugin.Config;
using KSync.Plugin.Syncthing;

namespace KSync.Plugin.Syncing;

/// <content>
/// Following syncthing events once the folder is set up (syncthing REST: Event API). Status: <c>syncing</c> while
/// either side is pulling (StateChanged to sync-waiting, sync-preparing or syncing), <c>watching</c> when both are
/// idle. Reload: an <c>ItemFinished</c> on the NODE's syncthing means a change from the local side landed in the
/// container; a change the container itself makes never shows there (it is a local change of the node's folder), so
/// an app writing files cannot trigger reloads. Reload fires on the trailing edge, <see cref="WatchOptions.ReloadDebounce"/>
/// after the last landed change, once the node side is idle.
/// </content>
internal sealed partial class Folder
{
    private static readonly HashSet<string> s_busyStates = new(StringComparer.Ordinal) { "sync-waiting", "sync-preparing", "syncing" };

    private async Task FollowAsync(SharedFolder shared, NodeSession session, ChannelReader<FolderEvent> events, CancellationToken cancellationToken)
    {
        var mode = ReloadMode.Of(_spec);
        var localBusy = false;
        var remoteBusy = false;
        DateTimeOffset? reloadDue = null;
        var rescanDue = (DateTimeOffset?)null;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Interlocked.Exchange(ref _reapply, 0) == 1)
            {
                Log.Reapplying(_logger, Id);
                await shared.ReapplyAsync(cancellationToken);
            }

            var now = DateTimeOffset.UtcNow;
            var due = Earliest(reloadDue, rescanDue);
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (due is { } when)
                {
                    wait.CancelAfter(when <= now ? TimeSpan.Zero : when - now);
                }

                try
                {
                    await events.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // A reload or rescan is due.
                }
            }

            while (events.TryRead(out var item))
            {
                var data = item.Event;
                switch (data.Type)
                {
                    case "StateChanged":
                        var to = data.DataString("to") ?? string.Empty;
                        var busy = s_busyStates.Contains(to);
                        if (item.IsLocal)
                        {
                            localBusy = busy;
                        }
                        else
                        {
                            remoteBusy = busy;
                            if (to == "error")
                            {
                                // Typically the folder marker vanished while the container restarted; rescan once it is back.
                                rescanDue = DateTimeOffset.UtcNow.AddSeconds(1);
                            }
                        }

                        break;
                    case "ItemFinished" when data.DataString("error") is null:
                        _state.SetLastSync(data.Time == default ? DateTimeOffset.UtcNow : data.Time);
                        if (!item.IsLocal && mode.IsEnabled)
                        {
                            Log.ReloadDue(_logger, Id, data);

                            reloadDue = DateTimeOffset.UtcNow + _context.Options.ReloadDebounce;
                        }

                        break;
                }
            }

            if (_state.Snapshot.Status != ServiceStatus.Reloading)
            {
                var status = localBusy || remoteBusy ? ServiceStatus.Syncing : ServiceStatus.Watching;
                if (_state.Snapshot.Status != status)
                {
                    _state.SetStatus(status);
                }
            }

            now = DateTimeOffset.UtcNow;
            if (rescanDue is { } rescanAt && rescanAt <= now)
            {
                rescanDue = await RescanRemoteAsync(session, cancellationToken) ? null : now.AddSeconds(2);
            }

            if (reloadDue is { } reloadAt && reloadAt <= now && !remoteBusy)
            {
                reloadDue = null;
                await ReloadCoreAsync(session, mode, manual: false, cancellationToken);
                rescanDue = DateTimeOffset.UtcNow.AddSeconds(1);
            }
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b)
        => a is null ? b : b is null ? a : a < b ? a : b;

    private async Task<bool> RescanRemoteAsync(NodeSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.Remote.Client.ScanAsync(Id, null, cancellationToken);
            return true;
        }
        catch (SyncthingException ex)
        {
            Log.RescanFailed(_logger, Id, ex.Message);
            return false;
        }
    }
}
