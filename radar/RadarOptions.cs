namespace KSync.Radar;

/// <summary>
/// radar's process settings, from its command line (see <see cref="RadarCommand"/>).
/// </summary>
internal sealed class RadarOptions
{
    /// <summary>Default gRPC port.</summary>
    public const int DefaultPort = 40321;

    /// <summary>Gets the address the gRPC server binds; default 127.0.0.1 (reached only through port-forward).</summary>
    public string Bind { get; init; } = "127.0.0.1";

    /// <summary>Gets the gRPC port; default 40321. 0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;
}
