using KSync.Radar.Runtimes.Cri;
using KSync.Radar.Runtimes.Docker;

namespace KSync.Radar.Runtimes;

/// <summary>The backends of this node, one per runtime kind; each finds its socket when it is used.</summary>
internal sealed class RuntimeRegistry : IDisposable
{
    private readonly DockerRuntime _docker;
    private readonly CriRuntime _containerd;
    private readonly CriRuntime _crio;

    /// <summary>Creates the backends.</summary>
    /// <param name="options">radar's options.</param>
    public RuntimeRegistry(RadarOptions options)
    {
        Sockets = new SocketDiscovery(options);
        _docker = new DockerRuntime(Sockets, options);
        _containerd = new CriRuntime(RuntimeKind.Containerd, Sockets, options);
        _crio = new CriRuntime(RuntimeKind.CriO, Sockets, options);
    }

    /// <summary>Gets the socket discovery the backends use.</summary>
    public SocketDiscovery Sockets { get; }

    /// <summary>Gets every backend, in the order doctor lists them.</summary>
    public IReadOnlyList<IContainerRuntime> All => [_docker, _containerd, _crio];

    /// <summary>Gets the backend of a runtime.</summary>
    /// <param name="kind">The runtime.</param>
    /// <returns>Its backend.</returns>
    public IContainerRuntime Get(RuntimeKind kind) => kind switch
    {
        RuntimeKind.Docker => _docker,
        RuntimeKind.Containerd => _containerd,
        _ => _crio,
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        _docker.Dispose();
        _containerd.Dispose();
        _crio.Dispose();
    }
}
