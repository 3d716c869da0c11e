namespace KSync.Engine.FolderEvents;

/// <summary>The rules' parameters of a <see cref="FolderMachine"/>; the defaults are what watch uses.</summary>
public sealed record FolderMachineOptions
{
    /// <summary>Gets a value indicating whether local changes landing in the container reload it (the spec's reload mode is not none).</summary>
    public bool ReloadEnabled { get; init; }

    /// <summary>Gets the quiet time after the last local change landed in the container before a reload: default 500 ms.</summary>
    public TimeSpan ReloadDebounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets a value indicating whether local changes go out to the node (false when the local folder is receive-only,
    /// <c>remotereadonly</c>): only then does a local change the link broke under leave a reload owed.
    /// </summary>
    public bool LocalChangesGoOut { get; init; } = true;

    /// <summary>Gets the wait before trying an automatic reload that failed again: default 2 s.</summary>
    public TimeSpan ReloadRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets how often an automatic reload is tried before it is given up (a log line says so): default 3.</summary>
    public int ReloadAttempts { get; init; } = 3;

    /// <summary>Gets the wait before rescanning the node side after its folder went to <c>error</c>: default 1 s.</summary>
    public TimeSpan RescanAfterNodeError { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the wait before trying a failed node rescan again: default 2 s.</summary>
    public TimeSpan RescanRetry { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the wait before rescanning the node side after an automatic reload: default 1 s.</summary>
    public TimeSpan RescanAfterReload { get; init; } = TimeSpan.FromSeconds(1);
}
