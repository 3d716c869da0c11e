namespace KSync.Syncthing.Processes;

/// <summary>The supervision loop: restart a syncthing that died, with capped exponential backoff.</summary>
public sealed partial class SyncthingProcess
{
    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var delay = _options.RestartDelay;
        var runningSince = _time.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var process = Volatile.Read(ref _process);
            if (process is null)
            {
                return;
            }

            await process.WaitForExitAsync(cancellationToken);
            var exitCode = process.ExitCode;
            if (Interlocked.CompareExchange(ref _process, null, process) == process)
            {
                process.Dispose();
            }

            if (_time.GetElapsedTime(runningSince) >= _options.StableAfter)
            {
                delay = _options.RestartDelay;
            }

            Log.Died(_logger, exitCode, delay.TotalSeconds, LogTail());
            while (true)
            {
                await Task.Delay(delay, _time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRestartDelay.Ticks));
                try
                {
                    await LaunchUntilReadyAsync(cancellationToken);
                    break;
                }
                catch (SyncthingException ex)
                {
                    Log.RestartFailed(_logger, ex.Message, delay.TotalSeconds);
                }
            }

            runningSince = _time.GetTimestamp();
            var count = Interlocked.Increment(ref _restartCount);
            Log.Restarted(_logger, count, Pid ?? 0);
            try
            {
                Restarted?.Invoke(this, new SyncthingRestartedEventArgs(count, exitCode));
            }
#pragma warning disable CA1031 // A faulty handler must not stop supervision.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.RestartHandlerFailed(_logger, ex);
            }
        }
    }
}
