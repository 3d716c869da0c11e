using System.Diagnostics;
using KSync.Config.Model;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Processes;

/// <summary>
/// <c>watch --daemon</c>: starts a detached copy of this process that runs <c>watch</c> in the background, as the
/// original did, with the original's files: <c>~/.ksync/daemon.pid</c> (the background watch's PID, one line)
/// and <c>~/.ksync/daemon.log</c>. On Linux the copy starts in a session of its own with stdout and stderr going
/// straight to daemon.log (<see cref="DetachedSpawn"/>), so even a runtime abort before any logging is kept there. It
/// ignores SIGHUP, so closing the terminal does not stop it; <c>clean --local</c> does.
/// </summary>
internal static class DaemonLauncher
{
    /// <summary>Environment variable that tells the copy it is the daemon and where to log.</summary>
    public const string LogVariable = "KSYNC_DAEMON_LOG";

    /// <summary>
    /// Starts the background watch and waits until it is ready (<paramref name="isReady"/>, e.g. its status server
    /// answers with its PID). When it exits before that, or is not ready within <paramref name="timeout"/>, the error
    /// carries what it wrote to daemon.log since it was started.
    /// </summary>
    /// <param name="home">The ksync home (PID and log files).</param>
    /// <param name="args">The command line of this process, with <c>--daemon</c> removed.</param>
    /// <param name="environment">Variables to set for the background watch (it runs in the ksync home, so paths must be absolute).</param>
    /// <param name="isReady">Asks whether the background watch with this PID is ready; polled every 100 ms.</param>
    /// <param name="timeout">How long to wait for it to serve status.</param>
    /// <param name="cancellationToken">Cancels the wait (the copy keeps running).</param>
    /// <returns>The background watch's PID.</returns>
    /// <exception cref="KsyncException">Not supported on this OS, already running, it exited at once, or it is not ready in time.</exception>
    public static async Task<int> StartAsync(KsyncHome home, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, Func<int, CancellationToken, Task<bool>> isReady, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(isReady);
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
        var logStart = File.Exists(home.DaemonLog) ? new FileInfo(home.DaemonLog).Length : 0;
        var variables = new Dictionary<string, string>(environment)
        {
            [LogVariable] = home.DaemonLog,
            [KsyncHome.EnvironmentVariable] = home.Root,
        };
        Func<string?> exited;
        int pid;
        if (OperatingSystem.IsLinux())
        {
            pid = DetachedSpawn.Start(self, args, variables, home.Root, home.DaemonLog);
            exited = () => DetachedSpawn.TryReap(pid);
        }
        else
        {
            var child = StartWithPipes(self, args, variables, home.Root);
            pid = child.Id;
            exited = () => child.HasExited ? $"exit code {child.ExitCode}" : null;
        }

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (exited() is string how)
            {
                throw new KsyncException(
                    $"The background watch exited before it was ready ({how}).",
                    $"{home.DaemonLog} says:\n{LogSince(home.DaemonLog, logStart, 20)}");
            }

            if (await isReady(pid, cancellationToken))
            {
                return pid;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new KsyncException(
            $"The background watch (PID {pid}) is not ready after {timeout.TotalSeconds:0} s; it keeps running.",
            $"{home.DaemonLog} says:\n{LogSince(home.DaemonLog, logStart, 20)}\nStop it with 'kubectl ksync clean --local'.");
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

        // On Linux stdout and stderr already are daemon.log (DetachedSpawn); elsewhere the console is pointed at it here.
        StreamWriter? writer = null;
        if (!OperatingSystem.IsLinux())
        {
            writer = new StreamWriter(new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            Console.SetOut(writer);
            Console.SetError(writer);
        }

        var hangup = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGHUP,
            context => context.Cancel = true);
        PidFile.Write(home.DaemonPidFile, Environment.ProcessId);
        return new DaemonRegistration(home.DaemonPidFile, hangup, writer);
    }

    private static Process StartWithPipes(string self, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        // Where posix_spawn's session and file actions are not used: the copy gets pipes of its own (closed when this
        // process exits) instead of inheriting ours, so reading this command's output to its end does not hang, and
        // it redirects its console to daemon.log itself (BecomeDaemonIfAsked).
        var info = new ProcessStartInfo(self)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info) ?? throw new KsyncException("Could not start the background watch.");
    }

    /// <summary>The last <paramref name="lines"/> lines written to <paramref name="path"/> after byte <paramref name="offset"/>.</summary>
    private static string LogSince(string path, long offset, int lines)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd().TrimEnd();
            return text.Length == 0 ? "(nothing)" : string.Join('\n', text.Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private sealed class DaemonRegistration(string pidFile, IDisposable hangup, StreamWriter? writer) : IDisposable
    {
        public void Dispose()
        {
            if (PidFile.ReadLive(pidFile) == Environment.ProcessId)
            {
                File.Delete(pidFile);
            }

            hangup.Dispose();
            writer?.Dispose();
        }
    }
}
