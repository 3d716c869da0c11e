using System.Diagnostics;
using KSync.Config.Model;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Processes;

/// <summary>
/// <c>watch --daemon</c>: starts a detached copy of this process that runs <c>watch</c> in the background, as the
/// original did, with the original's files: <c>~/.ksync/daemon.pid</c> (the background watch's PID, one line)
/// and <c>~/.ksync/daemon.log</c>. The copy leaves the terminal's session (<c>setsid</c> where available) and
/// ignores SIGHUP, so closing the terminal does not stop it; <c>clean --local</c> does.
/// </summary>
internal static class DaemonLauncher
{
    /// <summary>Environment variable that tells the copy it is the daemon and where to log.</summary>
    public const string LogVariable = "KSYNC_DAEMON_LOG";

    /// <summary>Starts the background watch and waits until it has written its PID file.</summary>
    /// <param name="home">The ksync home (PID and log files).</param>
    /// <param name="args">The command line of this process, with <c>--daemon</c> removed.</param>
    /// <param name="timeout">How long to wait for the copy to start; it prints the log's tail when it failed.</param>
    /// <param name="cancellationToken">Cancels the wait (the copy keeps running).</param>
    /// <returns>The background watch's PID.</returns>
    /// <exception cref="KsyncException">Not supported on this OS, already running, or the copy exited at once.</exception>
    public static async Task<int> StartAsync(KsyncHome home, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        if (OperatingSystem.IsWindows())
        {
            throw new KsyncException("watch --daemon is not supported on Windows.", "Run 'kubectl ksync watch' in its own terminal instead.");
        }

        home.EnsureExists();
        if (PidFile.ReadLive(home.DaemonPidFile) is int running)
        {
            throw new KsyncException(
                $"A background watch is already running (PID {running}).",
                "Stop it with 'kubectl ksync clean --local' first.");
        }

        File.Delete(home.DaemonPidFile);
        var self = Environment.ProcessPath ?? throw new KsyncException("Cannot tell which executable is running.");
        var setsid = OperatingSystem.IsLinux() ? FindOnPath("setsid") : null;
        // The copy gets pipes of its own for stdin, stdout and stderr (closed when this process exits) instead of
        // inheriting ours: a daemon holding the caller's stdout open would hang anything that reads this command's
        // output to its end (out=$(kubectl ksync watch --daemon), a pipe, a CI step). It logs to daemon.log.
        var info = new ProcessStartInfo(setsid ?? self)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = home.Root,
        };
        if (setsid is not null)
        {
            info.ArgumentList.Add(self);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment[LogVariable] = home.DaemonLog;
        info.Environment[KsyncHome.EnvironmentVariable] = home.Root;
        using var child = Process.Start(info) ?? throw new KsyncException("Could not start the background watch.");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (PidFile.ReadLive(home.DaemonPidFile) is int pid)
            {
                return pid;
            }

            if (setsid is null && child.HasExited)
            {
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new KsyncException(
            "The background watch did not start.",
            $"Its log says:\n{Tail(home.DaemonLog, 15)}");
    }

    /// <summary>
    /// In the background copy: sends console output to the daemon log, ignores SIGHUP and writes the PID file.
    /// Does nothing in a foreground watch.
    /// </summary>
    /// <param name="home">The ksync home.</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <returns>A registration to dispose at exit (it removes the PID file), or null in the foreground.</returns>
    public static IDisposable? BecomeDaemonIfAsked(KsyncHome home, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(environment);
        var log = environment(LogVariable);
        if (string.IsNullOrEmpty(log) || OperatingSystem.IsWindows())
        {
            return null;
        }

        var writer = new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        Console.SetOut(writer);
        Console.SetError(writer);
        var hangup = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGHUP,
            context => context.Cancel = true);
        PidFile.Write(home.DaemonPidFile, Environment.ProcessId);
        return new DaemonRegistration(home.DaemonPidFile, hangup, writer);
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static string Tail(string path, int lines)
    {
        try
        {
            return string.Join('\n', File.ReadLines(path).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private sealed class DaemonRegistration(string pidFile, IDisposable hangup, StreamWriter writer) : IDisposable
    {
        public void Dispose()
        {
            if (PidFile.ReadLive(pidFile) == Environment.ProcessId)
            {
                File.Delete(pidFile);
            }

            hangup.Dispose();
            writer.Dispose();
        }
    }
}
