using System.Threading.Channels;
using KSync.Config.Model;
using KSync.Engine.FolderEvents;
using KSync.Engine.Nodes;
using KSync.Syncthing;
using KSync.Syncthing.Folders;

namespace KSync.Engine.Syncing;

/// <content>
/// Following the folder once it is set up: the I/O shell around <see cref="FolderMachine"/>. Inputs arrive on one
/// channel (both syncthings' events for this folder, the local syncthing's restarts, reload requests, the set-up's
/// own results); the loop takes in what arrived, asks the machine what to do, does it (feeding each action's result
/// back), and waits for the next input or the machine's next due time.
/// </content>
public sealed partial class Folder
{
    private async Task FollowAsync(SharedFolder shared, NodeSession session, FolderMachine machine, ChannelReader<FolderInput> inputs, CancellationToken cancellationToken)
    {
        var mode = ReloadMode.Of(_spec);
        while (!cancellationToken.IsCancellationRequested)
        {
            var decisions = machine.Decide(Now);
            if (decisions.Count == 0)
            {
                await WaitAsync(inputs, machine.NextDueAt, cancellationToken);
                while (inputs.TryRead(out var input))
                {
                    if (input is FolderInput.SetUpDone)
                    {
                        _removals.Close();
                    }

                    machine.Observe(input, Now);
                }

                continue;
            }

            foreach (var decision in decisions)
            {
                await CarryOutAsync(decision, machine, shared, session, mode, cancellationToken);
            }
        }
    }

    private async Task CarryOutAsync(FolderDecision decision, FolderMachine machine, SharedFolder shared, NodeSession session, ReloadMode mode, CancellationToken cancellationToken)
    {
        switch (decision)
        {
            case FolderDecision.ReapplyConfig:
                Log.Reapplying(_logger, Id);
                await shared.ReapplyAsync(cancellationToken);
                break;
            case FolderDecision.RescanNode:
                machine.Observe(new FolderInput.RescanFinished(await RescanRemoteAsync(session, cancellationToken)), Now);
                break;
            case FolderDecision.Reload reload:
                // An explicit reload of a spec with reload mode none restarts.
                var outcome = await ReloadCoreAsync(session, reload.Manual && !mode.IsEnabled ? ReloadMode.Restart : mode, reload.Manual, cancellationToken);
                if (reload.Manual && _reloadRequests.TryDequeue(out var request))
                {
                    request.TrySetResult(outcome);
                }

                machine.Observe(new FolderInput.ReloadFinished(reload.Manual, outcome.Outcome == "failed"), Now);
                break;
            default:
                Apply(decision);
                break;
        }
    }

    /// <summary>Carries out a decision that needs no syncthing or node agent (so also while reconnecting).</summary>
    private void Apply(FolderDecision decision)
    {
        switch (decision)
        {
            case FolderDecision.SetStatus status:
                _state.SetStatus(status.Status);
                break;
            case FolderDecision.ShowReconnecting reconnecting:
                _state.SetReconnecting(reconnecting.Since, reconnecting.Reason);
                break;
            case FolderDecision.SetLastSync lastSync:
                _state.SetLastSync(lastSync.When);
                break;
            case FolderDecision.ReloadDue due:
                Log.ReloadDue(_logger, Id, due.Action, due.Item);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(decision), decision, "This decision needs the node; it cannot be carried out now.");
        }
    }

    private async Task WaitAsync(ChannelReader<FolderInput> inputs, DateTimeOffset? dueAt, CancellationToken cancellationToken)
    {
        using var due = dueAt is { } at
            ? new CancellationTokenSource(at > Now ? at - Now : TimeSpan.Zero, _context.Time)
            : new CancellationTokenSource();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, due.Token);
        try
        {
            await inputs.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Something is due.
        }
    }

    private async Task<bool> RescanRemoteAsync(NodeSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.Remote.Client.ScanAsync(Id, null, cancellationToken);
            return true;
        }
        catch (SyncthingException ex) when (ex.StatusCode is not null)
        {
            Log.RescanFailed(_logger, Id, ex.Message);
            return false;
        }
    }

    /// <summary>Stops taking reload requests and answers the pending ones as skipped.</summary>
    private void StopFollowing(string why)
    {
        Volatile.Write(ref _following, null);
        Volatile.Write(ref _followedSession, null);
        while (_reloadRequests.TryDequeue(out var request))
        {
            request.TrySetResult(new ReloadOutcome("skipped", why));
        }
    }
}
