namespace KSync.Syncthing.Processes;

/// <summary>Raised after the managed syncthing died and was started again; the caller re-applies its folders.</summary>
/// <param name="restartCount">How many restarts happened so far (1 for the first).</param>
/// <param name="exitCode">The exit code of the process that died.</param>
public sealed class SyncthingRestartedEventArgs(int restartCount, int exitCode) : EventArgs
{
    /// <summary>Gets how many restarts happened so far (1 for the first).</summary>
    public int RestartCount { get; } = restartCount;

    /// <summary>Gets the exit code of the process that died.</summary>
    public int ExitCode { get; } = exitCode;
}
