using KSync.Config.Model;
using KSync.Engine.FolderEvents;
using KSync.Engine.Nodes;

namespace KSync.Engine.Syncing;

/// <content>
/// Reload through the node agent: <c>restart</c> (<see cref="INodeAgent.RestartAsync"/>), <c>signal:NAME</c>
/// (<see cref="INodeAgent.SignalAsync"/>). Under containerd and CRI-O a restart would give the container a fresh root
/// filesystem, so the agent refuses it unless the synced path is on a volume (<see cref="RestartResult.SignalInstead"/>);
/// the Folder then sends <see cref="WatchOptions.FallbackSignal"/> and says so once. A requested reload goes through the
/// Folder's <see cref="FolderMachine"/> like an automatic one, so two reloads never overlap.
/// </content>
public sealed partial class Folder
{
    /// <inheritdoc/>
    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
    {
        var following = Volatile.Read(ref _following);
        if (following is null)
        {
            return new ReloadOutcome("skipped", _state.Snapshot.Status == Status.ServiceStatus.Reconnecting ? "the sync is reconnecting" : "the sync is not set up yet");
        }

        var request = new TaskCompletionSource<ReloadOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reloadRequests.Enqueue(request);
        if (!following.TryWrite(new FolderInput.ReloadRequested()))
        {
            request.TrySetResult(new ReloadOutcome("skipped", "the sync stopped"));
        }

        return await request.Task.WaitAsync(cancellationToken);
    }

    private async Task<ReloadOutcome> ReloadCoreAsync(NodeSession session, ReloadMode mode, bool manual, CancellationToken cancellationToken)
    {
        try
        {
            ReloadOutcome outcome;
            if (mode.IsSignal)
            {
                outcome = await SignalAsync(session, mode.Signal!, cancellationToken);
            }
            else
            {
                var reply = await session.Agent.RestartAsync(_container.ContainerId, _spec.RemotePath, _context.Options.RestartGrace, cancellationToken);
                if (reply.SignalInstead)
                {
                    if (!_saidFallback)
                    {
                        _saidFallback = true;
                        Log.RestartFallback(_logger, _spec.Name, _container.PodName, reply.Reason, _context.Options.FallbackSignal);
                    }

                    outcome = await SignalAsync(session, _context.Options.FallbackSignal, cancellationToken);
                    outcome = outcome with { Message = $"{outcome.Message} instead of a restart: {reply.Reason}" };
                }
                else
                {
                    outcome = new ReloadOutcome("restarted", $"restarted {_container.ContainerName} in {_container.PodName}");
                }
            }

            _state.CountReload();
            Log.Reloaded(_logger, _spec.Name, _container.PodName, outcome.Outcome, manual);
            return outcome;
        }
        catch (NodeAgentException ex)
        {
            Log.ReloadFailed(_logger, _spec.Name, _container.PodName, ex.Detail);
            return new ReloadOutcome("failed", $"{ex.Code}: {ex.Detail}");
        }
    }

    private async Task<ReloadOutcome> SignalAsync(NodeSession session, string signal, CancellationToken cancellationToken)
    {
        var reply = await session.Agent.SignalAsync(_container.ContainerId, signal, cancellationToken);
        return new ReloadOutcome("signalled", $"sent SIG{signal} to PID {reply.Pid}");
    }
}
