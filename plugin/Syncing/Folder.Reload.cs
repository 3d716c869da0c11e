using Grpc.Core;
using KSync.Plugin.Config;
using KSync.Proto.Radar.V1;

namespace KSync.Plugin.Syncing;

/// <content>
/// Reload through radar: <c>restart</c> (radar.Restart), <c>signal:NAME</c> (radar.Signal). Under containerd and
/// CRI-O a restart would give the container a fresh root filesystem, so radar refuses it unless the synced path is
/// on a volume (RESTART_OUTCOME_USE_SIGNAL); the Folder then sends <see cref="WatchOptions.FallbackSignal"/> and
/// says so once.
/// </content>
internal sealed partial class Folder
{
    /// <inheritdoc/>
    public async Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
    {
        var session = Volatile.Read(ref _session);
        if (session is null)
        {
            return new ReloadOutcome("skipped", "the sync is not set up yet");
        }

        // An explicit reload of a spec with reload mode none restarts.
        var mode = ReloadMode.Of(_spec);
        return await ReloadCoreAsync(session, mode.IsEnabled ? mode : ReloadMode.Restart, manual: true, cancellationToken);
    }

    private async Task<ReloadOutcome> ReloadCoreAsync(NodeSession session, ReloadMode mode, bool manual, CancellationToken cancellationToken)
    {
        var before = _state.Snapshot.Status;
        _state.SetStatus(ServiceStatus.Reloading);
        try
        {
            ReloadOutcome outcome;
            if (mode.IsSignal)
            {
                outcome = await SignalAsync(session, mode.Signal!, cancellationToken);
            }
            else
            {
                var reply = await session.Radar.RestartAsync(
                    new RestartRequest
                    {
                        ContainerId = _container.ContainerId,
                        RemotePath = _spec.RemotePath,
                        TimeoutSeconds = (int)_context.Options.RestartGrace.TotalSeconds,
                    },
                    deadline: DateTime.UtcNow.AddSeconds(60),
                    cancellationToken: cancellationToken);
                if (reply.Outcome == RestartOutcome.UseSignal)
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
        catch (RpcException ex) when (ex.StatusCode is not StatusCode.Cancelled)
        {
            Log.ReloadFailed(_logger, _spec.Name, _container.PodName, ex.Status.Detail);
            return new ReloadOutcome("failed", $"{ex.StatusCode}: {ex.Status.Detail}");
        }
        finally
        {
            _state.SetStatus(before == ServiceStatus.Reloading ? ServiceStatus.Watching : before);
        }
    }

    private async Task<ReloadOutcome> SignalAsync(NodeSession session, string signal, CancellationToken cancellationToken)
    {
        var reply = await session.Radar.SignalAsync(
            new SignalRequest { ContainerId = _container.ContainerId, Signal = signal },
            deadline: DateTime.UtcNow.AddSeconds(15),
            cancellationToken: cancellationToken);
        return new ReloadOutcome("signalled", $"sent SIG{signal} to PID {reply.Pid}");
    }
}
