namespace KSync.Syncthing.Client;

/// <summary>Timeouts and retries of <see cref="SyncthingClient"/>.</summary>
public sealed class SyncthingClientOptions
{
    /// <summary>Gets the time one request may take; default 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets the time one <c>POST /rest/db/scan</c> may take; default 5 minutes (the call returns only when the scan
    /// is done, and a first scan of a large tree takes seconds to minutes).
    /// </summary>
    public TimeSpan ScanTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets how often a transient failure (connection refused, 502/503/504, attempt timeout) is retried; default 3, 0 for never.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Gets the first retry delay, doubled per retry with jitter; default 100 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);
}
