namespace KSync.Plugin.Cluster;

/// <summary>Timing of <see cref="PodInformer"/>.</summary>
internal sealed class PodInformerOptions
{
    /// <summary>Gets how long one watch request may run before the server ends it (sent as timeoutSeconds); default 5 min.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets how long a watch may stay silent (no event, no bookmark) before it is assumed dead and reopened;
    /// default 3 min (servers send bookmarks about once a minute).
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Gets the first reconnect delay; later ones double with jitter; default 500 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets the largest reconnect delay; default 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}
