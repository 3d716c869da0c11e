using System.Diagnostics;
using System.Globalization;

namespace KSync.Syncthing.Processes;

/// <summary>
/// Guards a folder that only one ksync process may use at a time (here: the managed syncthing's home). The file holds
/// the owner's PID and start time, and the child's (syncthing's) when one runs. A live owner makes
/// <see cref="Acquire"/> fail with a message naming its PID; a file whose owner is gone is stale and is cleaned up
/// (an orphaned child it names is stopped first, after checking its start time, since PIDs are reused).
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;
    private readonly string _ownerLine;
    private bool _disposed;

    private PidFile(string path, string ownerLine)
    {
        _path = path;
        _ownerLine = ownerLine;
    }

    /// <summary>Gets the file's path.</summary>
    public string Path => _path;

    /// <summary>Takes the file for the current process.</summary>
    /// <param name="path">The PID file.</param>
    /// <param name="what">What the file guards, for the error message (e.g. "the local syncthing in /root/.ksync").</param>
    /// <returns>The held file; dispose to release it.</returns>
    /// <exception cref="SyncthingException">Another live process holds it; the message names its PID.</exception>
    public static PidFile Acquire(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var self = Process.GetCurrentProcess();
        var ownerLine = Line(self.Id, StartTicks(self));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
                using var writer = new StreamWriter(stream);
                writer.Write(ownerLine + "\n");
                return new PidFile(path, ownerLine);
            }
            catch (IOException) when (File.Exists(path))
            {
                var (owner, child) = Read(path);
                if (owner is { } o && IsAlive(o.Pid, o.StartTicks))
                {
                    throw new SyncthingException(
                        $"{what} is already in use by another ksync process (PID {o.Pid}, see {path}).",
                        $"Stop that process first (e.g. 'kill {o.Pid}' or 'kubectl ksync clean --local'), or use another KSYNC_HOME.");
                }

                if (child is { } c && IsAlive(c.Pid, c.StartTicks))
                {
                    KillQuietly(c.Pid);
                }

                File.Delete(path);
            }
        }

        throw new SyncthingException($"Could not take {path}: it keeps reappearing.", "Another ksync is starting at the same time; try again.");
    }

    /// <summary>Records the child process (syncthing) this owner runs, so a later start can stop it if it is orphaned.</summary>
    /// <param name="process">The running child, or null when none runs.</param>
    public void RecordChild(Process? process)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var content = _ownerLine + "\n" + (process is null ? string.Empty : Line(process.Id, StartTicks(process)) + "\n");
        var temp = _path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, _path, overwrite: true);
    }

    /// <summary>Reads the owner and child recorded in a PID file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The owner and child (null where absent or unreadable).</returns>
    public static ((int Pid, long StartTicks)? Owner, (int Pid, long StartTicks)? Child) Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return (null, null);
        }

        return (Parse(lines.ElementAtOrDefault(0)), Parse(lines.ElementAtOrDefault(1)));
    }

    /// <summary>Releases the file (deletes it when it still names this process).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (File.Exists(_path) && File.ReadLines(_path).FirstOrDefault() == _ownerLine)
            {
                File.Delete(_path);
            }
        }
        catch (IOException)
        {
        }
    }

    private static (int Pid, long StartTicks)? Parse(string? line)
    {
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 1 } && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? (pid, parts.Length > 1 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : 0)
            : null;
    }

    private static string Line(int pid, long startTicks) => string.Create(CultureInfo.InvariantCulture, $"{pid} {startTicks}");

    private static long StartTicks(Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return 0;
        }
    }

    private static bool IsAlive(int pid, long startTicks)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited)
            {
                return false;
            }

            // A reused PID belongs to a process that started at another time (1 s tolerance: clock-tick rounding).
            return startTicks == 0 || Math.Abs(StartTicks(process) - startTicks) < TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
