using System.Runtime.InteropServices;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Processes;

/// <summary>
/// Signals and liveness checks with kill(2) (Linux and macOS), so stopping a background watch needs no external
/// <c>kill</c> command (slim images have none: procps is not installed).
/// </summary>
internal static partial class ProcessSignals
{
    /// <summary>SIGTERM: asks a watch to tear down its folders, tunnels and syncthing, then exit.</summary>
    public const int Terminate = 15;

    private const int NoSuchProcess = 3;
    private const int NotPermitted = 1;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>.</summary>
    /// <param name="pid">The process ID (positive; 0 and negative IDs would address process groups).</param>
    /// <param name="signal">The signal number (signal(7)).</param>
    /// <returns>True when it was sent; false when no such process exists (ESRCH).</returns>
    /// <exception cref="KsyncException">This user may not signal the process (EPERM), or kill(2) failed otherwise.</exception>
    public static bool Send(int pid, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (Kill(pid, signal) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            NoSuchProcess => false,
            NotPermitted => throw new KsyncException(
                $"Not allowed to signal process {pid} (EPERM): it belongs to another user.",
                "Stop it as that user, or as root."),
            _ => throw new KsyncException($"kill({pid}, {signal}) failed with errno {errno}."),
        };
    }

    /// <summary>Whether a process with <paramref name="pid"/> exists (signal 0: nothing is sent, only checked).</summary>
    /// <param name="pid">The process ID.</param>
    /// <returns>True when it exists, also when it belongs to another user (EPERM); a zombie counts as existing.</returns>
    public static bool Exists(int pid)
        => pid > 0 && (Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == NotPermitted);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
