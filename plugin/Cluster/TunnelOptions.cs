namespace KSync.Plugin.Cluster;

/// <summary>Timing of a <see cref="Tunnel"/>.</summary>
internal sealed class TunnelOptions
{
    /// <summary>Gets how many times opening a port-forward is tried per accepted connection; default 5.</summary>
    public int OpenAttempts { get; init; } = 5;

    /// <summary>Gets the first delay between attempts (doubling with jitter); default 200 ms.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets the largest delay between attempts; default 3 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(3);
}
