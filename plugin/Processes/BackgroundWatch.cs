using System.Diagnostics;
using System.Globalization;
using KSync.Config.Model;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Processes;

/// <summary>
/// Stops a background <c>kubectl ksync watch</c> recorded in <c>&lt;KSYNC_HOME&gt;/daemon.pid</c>. PIDs are reused, so
/// the process is signalled only when its command line shows it is a kubectl-ksync watch; a missing or stale PID
/// file is not an error (a stale one is removed).
/// </summary>
internal static class BackgroundWatch
{
    /// <summary>Stops the background watch, if one runs: SIGTERM (kill(2), no external command), then waits for it to exit.</summary>
    /// <param name="home">The ksync home.</param>
    /// <param name="timeout">How long to wait for the exit.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>What happened, one line for the user.</returns>
    /// <exception cref="KsyncException">It runs but did not exit in time.</exception>
    public static async Task<string> StopAsync(KsyncHome home, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (!File.Exists(home.DaemonPidFile))
        {
            return "No background watch is running.";
        }

        var text = (await File.ReadAllTextAsync(home.DaemonPidFile, cancellationToken)).Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || !IsWatch(pid))
        {
            File.Delete(home.DaemonPidFile);
            return $"No background watch is running (removed the stale {home.DaemonPidFile}).";
        }

        Signal(pid);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // Polled: the watch is not our child, and once it exits it stays a zombie until its parent (often PID 1 of
            // a container) reaps it, which PidFile.IsAlive counts as gone.
            while (PidFile.IsAlive(pid))
            {
                await Task.Delay(50, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KsyncException(
                $"The background watch (pid {pid}) did not stop within {timeout.TotalSeconds:0} s.",
                $"Stop it with 'kill {pid}' (or 'kill -9 {pid}' if it hangs).");
        }

        if (File.Exists(home.DaemonPidFile))
        {
            File.Delete(home.DaemonPidFile);
        }

        return $"Stopped the background watch (pid {pid}).";
    }

    /// <summary>Whether <paramref name="pid"/> is a running <c>kubectl-ksync watch</c> (checked on its command line).</summary>
    /// <param name="pid">The process ID.</param>
    /// <returns>True when it is.</returns>
    public static bool IsWatch(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            var cmdline = $"/proc/{pid}/cmdline";
            if (!File.Exists(cmdline))
            {
                return false;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(cmdline).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (IOException)
            {
                return false;
            }

            return args.Length > 1 && args.Any(a => Path.GetFileName(a).StartsWith("kubectl-ksync", StringComparison.Ordinal)) && args.Contains("watch");
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName.StartsWith("kubectl-ksync", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Signal(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            return;
        }

        // SIGTERM lets watch tear down its tunnels and syncthing (.NET itself can only send SIGKILL).
        ProcessSignals.Send(pid, ProcessSignals.Terminate);
    }
}
