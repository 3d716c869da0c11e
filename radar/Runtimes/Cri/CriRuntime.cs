using Grpc.Core;
using Grpc.Net.Client;
using KSync.Proto.Radar.V1;
using KSync.Radar.Reload;
using KSync.Radar.Runtimes.Cri.V1;

namespace KSync.Radar.Runtimes.Cri;

/// <summary>
/// containerd and CRI-O backend through the Kubernetes CRI (<c>runtime.v1.RuntimeService</c>) over their unix
/// sockets. <c>ContainerStatus</c> with <c>verbose=true</c> gives the PID, the mounts (<c>status.mounts</c>: the
/// kubelet's volumes with their node paths) and the OCI spec's root: containerd's is <c>rootfs</c> inside the task
/// bundle <c>&lt;state&gt;/io.containerd.runtime.v2.task/k8s.io/&lt;id&gt;</c>, CRI-O's an absolute mountpoint.
/// "Restart" is <c>StopContainer</c>: the kubelet then starts a NEW container with a fresh root filesystem, so only
/// files on volumes survive it. Signals go to the PID with kill(2): the CRI has no signal call.
/// </summary>
internal sealed class CriRuntime : IContainerRuntime, IDisposable
{
    /// <summary>containerd namespace of the CRI plugin (containerd: <c>constants.K8sContainerdNamespace</c>).</summary>
    public const string ContainerdNamespace = "k8s.io";

    private readonly SocketDiscovery _sockets;
    private readonly RadarOptions _options;
    private readonly Lock _gate = new();
    private GrpcChannel? _channel;
    private string? _channelSocket;
    private string? _stateDir;

    /// <summary>Creates the backend for containerd or CRI-O.</summary>
    /// <param name="kind"><see cref="RuntimeKind.Containerd"/> or <see cref="RuntimeKind.CriO"/>.</param>
    /// <param name="sockets">Socket discovery.</param>
    /// <param name="options">radar's options (timeout, containerd state override).</param>
    public CriRuntime(RuntimeKind kind, SocketDiscovery sockets, RadarOptions options)
    {
        Kind = kind;
        _sockets = sockets;
        _options = options;
    }

    /// <inheritdoc/>
    public RuntimeKind Kind { get; }

    /// <inheritdoc/>
    public bool RestartKeepsRootFilesystem => false;

    private string Name => ContainerRef.Scheme(Kind);

    /// <inheritdoc/>
    public async Task<RuntimeBackend> ProbeAsync(CancellationToken cancellationToken)
    {
        var backend = new RuntimeBackend { Name = Name };
        var socket = _sockets.Find(Kind);
        if (socket is null)
        {
            backend.Error = $"no socket at {string.Join(", ", _sockets.Candidates(Kind))}";
            return backend;
        }

        backend.Socket = socket;
        try
        {
            var client = Client(out _);
            var version = await CallAsync(socket, null, o => client.VersionAsync(new VersionRequest { Version = "v1" }, o).ResponseAsync, cancellationToken);
            var status = await CallAsync(socket, null, o => client.StatusAsync(new StatusRequest { Verbose = true }, o).ResponseAsync, cancellationToken);
            var config = status.Info.GetValueOrDefault("config");
            backend.Available = true;
            backend.Version = $"{version.RuntimeName} {version.RuntimeVersion}".Trim();
            backend.ApiVersion = version.RuntimeApiVersion;
            backend.StorageDriver = CriVerboseInfo.ConfigString(config, "containerd", "snapshotter") ?? string.Empty;
            backend.RootDir = CriVerboseInfo.ConfigString(config, "containerdRootDir") ?? string.Empty;
        }
        catch (RpcException ex)
        {
            backend.Error = ex.Status.Detail;
        }

        return backend;
    }

    /// <inheritdoc/>
    public async Task<ContainerDetails> InspectAsync(ContainerRef container, CancellationToken cancellationToken)
    {
        var client = Client(out var socket);
        var response = await CallAsync(
            socket,
            container,
            o => client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = container.Id, Verbose = true }, o).ResponseAsync,
            cancellationToken);
        var status = response.Status ?? throw RadarErrors.NotFound($"{Name} returned no status for container {container.Id}.");
        var info = CriVerboseInfo.Parse(response.Info.GetValueOrDefault("info"));
        var running = status.State == ContainerState.ContainerRunning;
        var root = info.RootPath;
        if (root is not null && !Path.IsPathRooted(root))
        {
            var state = await StateDirAsync(client, socket, cancellationToken);
            root = state is null ? null : Path.Combine(state, "io.containerd.runtime.v2.task", ContainerdNamespace, container.Id, root);
        }

        var mounts = status.Mounts
            .Where(m => m.ContainerPath.StartsWith('/') && m.HostPath.StartsWith('/'))
            .Select(m => new ContainerMount(m.ContainerPath, m.HostPath, m.Readonly))
            .ToList();
        return new ContainerDetails(container, running, running ? info.Pid : 0, root, mounts, new Dictionary<string, string>(status.Labels, StringComparer.Ordinal));
    }

    /// <inheritdoc/>
    public async Task RestartAsync(ContainerRef container, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var client = Client(out var socket);
        try
        {
            await CallAsync(
                socket,
                container,
                o => client.StopContainerAsync(new StopContainerRequest { ContainerId = container.Id, Timeout = timeoutSeconds }, o).ResponseAsync,
                cancellationToken,
                TimeSpan.FromSeconds(timeoutSeconds));
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Cancelled or StatusCode.NotFound or StatusCode.Unavailable))
        {
            // The runtime's SIGKILL after the grace period can race with the process exiting on SIGTERM
            // (containerd: "failed to kill container ...: ttrpc: closed").
            // What counts is that it stopped: give the runtime up to 3 s to record the exit.
            for (var attempt = 0; ; attempt++)
            {
                var status = await CallAsync(
                    socket,
                    container,
                    o => client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = container.Id }, o).ResponseAsync,
                    cancellationToken);
                if (status.Status?.State == ContainerState.ContainerExited)
                {
                    return;
                }

                if (attempt == 30)
                {
                    throw;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    public Task<int> SignalAsync(ContainerDetails container, PosixSignal signal, CancellationToken cancellationToken)
    {
        if (!container.Running || container.Pid <= 0)
        {
            throw RadarErrors.FailedPrecondition($"container {container.Ref} is not running.");
        }

        ProcessSignals.Send(container.Pid, signal);
        return Task.FromResult(container.Pid);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _channel?.Dispose();
            _channel = null;
        }
    }

    private RuntimeService.RuntimeServiceClient Client(out string socket)
    {
        socket = _sockets.Require(Kind);
        lock (_gate)
        {
            if (_channel is null || _channelSocket != socket)
            {
                _channel?.Dispose();
                _channel = CriChannels.ForSocket(socket);
                _channelSocket = socket;
                _stateDir = null;
            }

            return new RuntimeService.RuntimeServiceClient(_channel);
        }
    }

    // containerd's state directory: the flag, else the parent of the CRI plugin's stateDir
    // (<state>/io.containerd.grpc.v1.cri), read once per socket.
    private async Task<string?> StateDirAsync(RuntimeService.RuntimeServiceClient client, string socket, CancellationToken cancellationToken)
    {
        if (_options.ContainerdState is { } configured)
        {
            return configured;
        }

        if (_stateDir is { } known)
        {
            return known;
        }

        var status = await CallAsync(socket, null, o => client.StatusAsync(new StatusRequest { Verbose = true }, o).ResponseAsync, cancellationToken);
        var criState = CriVerboseInfo.ConfigString(status.Info.GetValueOrDefault("config"), "stateDir");
        _stateDir = string.IsNullOrEmpty(criState) ? null : Path.GetDirectoryName(criState.TrimEnd('/'));
        return _stateDir;
    }

    private async Task<T> CallAsync<T>(string socket, ContainerRef? container, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken, TimeSpan extra = default)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow + _options.RuntimeTimeout + extra, cancellationToken: cancellationToken);
        try
        {
            return await call(options);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            throw RadarErrors.NotFound($"{Name} has no container {container?.Id}.");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            throw RadarErrors.Unavailable($"{Name} at {socket} does not answer: {ex.Status.Detail}", ex);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unimplemented)
        {
            throw RadarErrors.FailedPrecondition($"{Name} at {socket} does not serve CRI runtime.v1 ({ex.Status.Detail}).");
        }
        catch (RpcException ex) when (ex.StatusCode is not StatusCode.Cancelled)
        {
            throw new RpcException(new Status(ex.StatusCode, $"{Name}: {ex.Status.Detail}"));
        }
    }
}
