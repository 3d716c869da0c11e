using System.Collections.Concurrent;
using System.Diagnostics;

namespace KSync.Syncthing.Processes;

/// <summary>
/// Starts child processes from ONE long-lived thread. Linux delivers a parent-death signal
/// (<c>prctl(PR_SET_PDEATHSIG)</c>, set here through util-linux <c>setpriv --pdeathsig</c>) when the THREAD that forked
/// the child exits, not the process; .NET retires idle thread-pool threads, which would kill syncthing at random.
/// Forking from a thread that lives as long as the process makes the signal mean "ksync died".
/// </summary>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<Action> s_work = Start();

    /// <summary>Runs <paramref name="start"/> (which starts a process) on the spawner thread.</summary>
    /// <param name="start">Creates and starts the process.</param>
    /// <returns>The started process.</returns>
    public static Task<Process> StartAsync(Func<Process> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var done = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        s_work.Add(() =>
        {
            try
            {
                done.SetResult(start());
            }
#pragma warning disable CA1031 // Handed to the awaiting caller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    private static BlockingCollection<Action> Start()
    {
        var work = new BlockingCollection<Action>();
        var thread = new Thread(() =>
        {
            foreach (var item in work.GetConsumingEnumerable())
            {
                item();
            }
        })
        {
            IsBackground = true,
            Name = "ksync process spawner",
        };
        thread.Start();
        return work;
    }
}
