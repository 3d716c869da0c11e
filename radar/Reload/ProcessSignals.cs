using System.Runtime.InteropServices;

namespace KSync.Radar.Reload;

/// <summary>Sends signals to node processes with kill(2) (used for CRI runtimes, which have no signal call).</summary>
internal static partial class ProcessSignals
{
    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>.</summary>
    /// <param name="pid">Process ID in radar's PID namespace (the node's: the DaemonSet uses hostPID).</param>
    /// <param name="signal">The signal.</param>
    /// <exception cref="Grpc.Core.RpcException">NotFound when the process is gone (ESRCH); FailedPrecondition when radar may not signal it (EPERM).</exception>
    public static void Send(int pid, PosixSignal signal)
    {
        if (pid <= 0)
        {
            throw Runtimes.RadarErrors.FailedPrecondition("the container has no running process to signal.");
        }

        if (Kill(pid, signal.Number) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        throw errno switch
        {
            3 => Runtimes.RadarErrors.NotFound($"process {pid} exited before it could be signalled."),
            1 => Runtimes.RadarErrors.FailedPrecondition($"radar may not signal process {pid} (EPERM): it needs root or CAP_KILL in the node's PID namespace."),
            _ => Runtimes.RadarErrors.FailedPrecondition($"kill({pid}, {signal.Number}) failed with errno {errno}."),
        };
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int sig);
}
