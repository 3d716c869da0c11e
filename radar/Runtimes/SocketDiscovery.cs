namespace KSync.Radar.Runtimes;

/// <summary>
/// Finds a runtime's unix socket: the path given by its flag, else the first standard path that exists under
/// <see cref="RadarOptions.HostRoot"/>. Standard paths (where the runtimes' packages put them): Docker
/// <c>/run/docker.sock</c> and <c>/var/run/docker.sock</c>; containerd <c>/run/containerd/containerd.sock</c>,
/// k3s <c>/run/k3s/containerd/containerd.sock</c>; CRI-O <c>/run/crio/crio.sock</c> and <c>/var/run/crio/crio.sock</c>.
/// The <c>/run</c> forms come first because <c>/var/run</c> is an absolute symlink to <c>/run</c>, which does not
/// resolve under a host-root prefix.
/// </summary>
internal sealed class SocketDiscovery
{
    private readonly RadarOptions _options;

    /// <summary>Creates the discovery for radar's options.</summary>
    /// <param name="options">Flags with the overrides and the host root.</param>
    public SocketDiscovery(RadarOptions options)
    {
        _options = options;
    }

    /// <summary>Gets the standard socket paths of a runtime, in the order they are tried (node paths, without host root).</summary>
    /// <param name="kind">The runtime.</param>
    /// <returns>Absolute node paths.</returns>
    public static IReadOnlyList<string> StandardPaths(RuntimeKind kind) => kind switch
    {
        RuntimeKind.Docker => ["/run/docker.sock", "/var/run/docker.sock"],
        RuntimeKind.Containerd => ["/run/containerd/containerd.sock", "/run/k3s/containerd/containerd.sock", "/var/run/containerd/containerd.sock"],
        _ => ["/run/crio/crio.sock", "/var/run/crio/crio.sock"],
    };

    /// <summary>Gets the paths that are tried for a runtime: its flag, or the standard paths under the host root.</summary>
    /// <param name="kind">The runtime.</param>
    /// <returns>Paths as radar sees them.</returns>
    public IReadOnlyList<string> Candidates(RuntimeKind kind)
    {
        var explicitPath = kind switch
        {
            RuntimeKind.Docker => _options.DockerSocket,
            RuntimeKind.Containerd => _options.ContainerdSocket,
            _ => _options.CrioSocket,
        };
        if (explicitPath is not null)
        {
            return [explicitPath];
        }

        var root = _options.HostRoot.TrimEnd('/');
        return StandardPaths(kind).Select(path => root + path).ToList();
    }

    /// <summary>Finds the socket of a runtime.</summary>
    /// <param name="kind">The runtime.</param>
    /// <returns>The first candidate that exists, or null when the runtime is not on this node.</returns>
    public string? Find(RuntimeKind kind) => Candidates(kind).FirstOrDefault(File.Exists);

    /// <summary>Finds the socket of a runtime or explains that it is missing.</summary>
    /// <param name="kind">The runtime.</param>
    /// <returns>The socket path.</returns>
    /// <exception cref="Grpc.Core.RpcException">FailedPrecondition naming the paths tried.</exception>
    public string Require(RuntimeKind kind) => Find(kind) ?? throw RadarErrors.FailedPrecondition(
        $"no {ContainerRef.Scheme(kind)} socket on this node (tried {string.Join(", ", Candidates(kind))}); is the pod on a node that runs {ContainerRef.Scheme(kind)}?");
}
