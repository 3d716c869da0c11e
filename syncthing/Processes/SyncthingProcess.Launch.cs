using System.Diagnostics;
using KSync.Syncthing.Client;

namespace KSync.Syncthing.Processes;

/// <summary>Starting one syncthing process and waiting until its API answers.</summary>
public sealed partial class SyncthingProcess
{
    private const int LaunchAttempts = 3;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    private async Task LaunchUntilReadyAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            _home.PrepareConfig(ApiPort, ListenPort, ApiKey);
            var process = await LaunchAsync();
            try
            {
                await WaitReadyAsync(process, cancellationToken);
                await Client.PatchOptionsAsync(SafeOptions(), cancellationToken);
                return;
            }
            catch (SyncthingException) when (attempt < LaunchAttempts && process.HasExited && _options.ApiPort == 0 && _options.ListenPort == 0)
            {
                // Most likely a port was taken between choosing it and syncthing binding it: choose again.
                ApiPort = FreeLoopbackPort();
                ListenPort = FreeLoopbackPort(ApiPort);
                Client.UseBaseAddress(ApiUri(ApiPort));
            }
            catch
            {
                await StopProcessAsync(CancellationToken.None);
                throw;
            }
        }
    }

    private OptionsConfiguration SafeOptions()
    {
        var options = OptionsConfiguration.Private(ListenAddress);
        options.ReconnectionIntervalS = 5;
        return options;
    }

    private async Task<Process> LaunchAsync()
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _home.Directory,
        };
        var serve = Binary.Capabilities.ServeArguments(_home.Directory, ApiPort);
        if (OperatingSystem.IsLinux() && _options.SetprivPath is { } setpriv && File.Exists(setpriv))
        {
            // SIGKILL syncthing when ksync dies, however it dies: no orphan keeps the home and ports busy.
            info.FileName = setpriv;
            foreach (var arg in new[] { "--pdeathsig", "KILL", "--", Binary.Path })
            {
                info.ArgumentList.Add(arg);
            }
        }
        else
        {
            info.FileName = Binary.Path;
        }

        foreach (var arg in serve)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Binary.Capabilities.ServeEnvironment(ApiKey))
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        try
        {
            await ProcessSpawner.StartAsync(() =>
            {
                process.Start();
                return process;
            });
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new SyncthingException($"syncthing ({Binary.Path}) could not be started: {ex.Message}", "Check that it is executable, or run 'kubectl ksync init --local'.", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Volatile.Write(ref _process, process);
        _pidFile?.RecordChild(process);
        Log.Launched(_logger, process.Id, ApiPort, ListenPort);
        return process;
    }

    private async Task WaitReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        SyncthingException? last = null;
        while (_time.GetElapsedTime(started) < _options.StartTimeout)
        {
            if (process.HasExited)
            {
                // Let the output readers drain the last lines before quoting them.
                await process.WaitForExitAsync(cancellationToken);
                throw new SyncthingException(
                    $"syncthing exited with code {process.ExitCode} before its API answered. Last lines of {LogFile}:\n{LogTail()}",
                    "Fix what the log says, or remove the syncthing folder in your ksync home to start over.");
            }

            try
            {
                await Client.PingOnceAsync(TimeSpan.FromSeconds(2), cancellationToken);
                return;
            }
            catch (SyncthingException ex) when (ex.StatusCode is null)
            {
                last = ex;
            }

            await Task.Delay(s_pollInterval, _time, cancellationToken);
        }

        throw new SyncthingException(
            $"syncthing's API did not answer within {_options.StartTimeout.TotalSeconds:0} s ({last?.Message}). Last lines of {LogFile}:\n{LogTail()}",
            "syncthing may be hung or very slow to start; check the log.");
    }

    private async Task StopProcessAsync(CancellationToken cancellationToken)
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (!process.HasExited && _client is not null)
            {
                try
                {
                    using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    shutdown.CancelAfter(TimeSpan.FromSeconds(2));
                    await _client.ShutdownAsync(shutdown.Token);
                }
                catch (Exception ex) when (ex is SyncthingException or OperationCanceledException)
                {
                    Log.ShutdownRequestFailed(_logger, ex.Message);
                }
            }

            using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            grace.CancelAfter(_options.StopTimeout);
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Log.Killing(_logger, process.Id, _options.StopTimeout.TotalSeconds);
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }

            _pidFile?.RecordChild(null);
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log?.WriteLine(line);
        if (IsWarning(line))
        {
            Log.SyncthingWarning(_logger, line);
        }
        else
        {
            Log.SyncthingOutput(_logger, line);
        }
    }

    /// <summary>Whether a syncthing log line is a warning or worse: 1.x <c>WARNING:</c>/<c>FATAL:</c>, 2.x <c>WRN</c>/<c>ERR</c>.</summary>
    private static bool IsWarning(string line)
        => line.Contains("WARNING:", StringComparison.Ordinal)
           || line.Contains("FATAL:", StringComparison.Ordinal)
           || line.Contains(" WRN ", StringComparison.Ordinal)
           || line.Contains(" ERR ", StringComparison.Ordinal)
           || line.Contains("level=WARN", StringComparison.Ordinal)
           || line.Contains("level=ERROR", StringComparison.Ordinal);

    private string LogTail() => string.Join('\n', _log?.Tail(20) ?? []);
}
