using System.Globalization;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Docker.DotNet.Unix;
using KSync.Proto.Radar.V1;
using KSync.Radar.Reload;

namespace KSync.Radar.Runtimes.Docker;

/// <summary>
/// Docker Engine backend over its unix socket with Docker.DotNet.Enhanced. Root = <c>GraphDriver.Data.MergedDir</c>
/// (overlay2), mounts from <c>Mounts</c> (volumes and binds), restart and signals through the Engine API
/// (Docker Engine API: GET /containers/{id}/json, POST /containers/{id}/restart, POST /containers/{id}/kill).
/// A Docker restart keeps the writable layer, so files synced into the root survive it.
/// </summary>
internal sealed class DockerRuntime : IContainerRuntime, IDisposable
{
    private readonly SocketDiscovery _sockets;
    private readonly TimeSpan _timeout;
    private readonly Lock _gate = new();
    private DockerClient? _client;
    private string? _clientSocket;

    /// <summary>Creates the backend; the socket is found on first use and again whenever it changes.</summary>
    /// <param name="sockets">Socket discovery.</param>
    /// <param name="options">radar's options (runtime timeout).</param>
    public DockerRuntime(SocketDiscovery sockets, RadarOptions options)
    {
        _sockets = sockets;
        _timeout = options.RuntimeTimeout;
    }

    /// <inheritdoc/>
    public RuntimeKind Kind => RuntimeKind.Docker;

    /// <inheritdoc/>
    public bool RestartKeepsRootFilesystem => true;

    /// <inheritdoc/>
    public async Task<RuntimeBackend> ProbeAsync(CancellationToken cancellationToken)
    {
        var backend = new RuntimeBackend { Name = "docker" };
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
            var version = await CallAsync(socket, ct => client.System.GetVersionAsync(ct), cancellationToken);
            var info = await CallAsync(socket, ct => client.System.GetSystemInfoAsync(ct), cancellationToken);
            backend.Available = true;
            backend.Version = version.Version ?? string.Empty;
            backend.ApiVersion = version.APIVersion ?? string.Empty;
            backend.StorageDriver = info.Driver ?? string.Empty;
            backend.RootDir = info.DockerRootDir ?? string.Empty;
        }
        catch (Grpc.Core.RpcException ex)
        {
            backend.Error = ex.Status.Detail;
        }

        return backend;
    }

    /// <inheritdoc/>
    public async Task<ContainerDetails> InspectAsync(ContainerRef container, CancellationToken cancellationToken)
    {
        var client = Client(out var socket);
        var inspect = await CallAsync(socket, ct => client.Containers.InspectContainerAsync(container.Id, ct), cancellationToken, container);
        string? merged = null;
        if (inspect.GraphDriver?.Data is { } data && data.TryGetValue("MergedDir", out var dir) && !string.IsNullOrEmpty(dir))
        {
            merged = dir;
        }

        var mounts = (inspect.Mounts ?? [])
            .Where(m => !string.IsNullOrEmpty(m.Destination) && !string.IsNullOrEmpty(m.Source))
            .Select(m => new ContainerMount(m.Destination, m.Source, !m.RW))
            .ToList();
        var running = inspect.State?.Running ?? false;
        var pid = running ? (int)(inspect.State?.Pid ?? 0) : 0;
        var labels = inspect.Config?.Labels is { } l ? new Dictionary<string, string>(l, StringComparer.Ordinal) : [];
        return new ContainerDetails(container, running, pid, merged, mounts, labels);
    }

    /// <inheritdoc/>
    public async Task RestartAsync(ContainerRef container, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var client = Client(out var socket);
        var parameters = new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)timeoutSeconds };

        // The engine answers after the container is up again: allow the stop timeout on top of the call timeout.
        await CallAsync(socket, ct => client.Containers.RestartContainerAsync(container.Id, parameters, ct), cancellationToken, container, TimeSpan.FromSeconds(timeoutSeconds));
    }

    /// <inheritdoc/>
    public async Task<int> SignalAsync(ContainerDetails container, PosixSignal signal, CancellationToken cancellationToken)
    {
        if (!container.Running)
        {
            throw RadarErrors.FailedPrecondition($"container {container.Ref} is not running.");
        }

        var client = Client(out var socket);
        var parameters = new ContainerKillParameters { Signal = signal.Number.ToString(CultureInfo.InvariantCulture) };
        await CallAsync(socket, ct => client.Containers.KillContainerAsync(container.Ref.Id, parameters, ct), cancellationToken, container.Ref);
        return container.Pid;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = null;
        }
    }

    private DockerClient Client(out string socket)
    {
        socket = _sockets.Require(Kind);
        lock (_gate)
        {
            if (_client is null || _clientSocket != socket)
            {
                _client?.Dispose();
                _client = new DockerClientBuilder()
                    .WithEndpoint(new Uri("unix://" + socket))
                    .WithTransportOptions(new UnixSocketTransportOptions())
                    .Build();
                _clientSocket = socket;
            }

            return _client;
        }
    }

    private async Task<T> CallAsync<T>(string socket, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, ContainerRef? container = null, TimeSpan extra = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout + extra);
        try
        {
            return await call(timeout.Token);
        }
        catch (DockerContainerNotFoundException)
        {
            throw RadarErrors.NotFound($"docker has no container {container?.Id}.");
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            throw RadarErrors.FailedPrecondition($"docker refused: {ex.ResponseBody?.Trim()}");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw RadarErrors.Unavailable($"docker at {socket} did not answer within {(_timeout + extra).TotalSeconds:0.#} s.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException)
        {
            throw RadarErrors.Unavailable($"docker at {socket} does not answer: {ex.Message}", ex);
        }
    }

    private Task<bool> CallAsync(string socket, Func<CancellationToken, Task> call, CancellationToken cancellationToken, ContainerRef? container = null, TimeSpan extra = default)
        => CallAsync<bool>(socket, async ct => { await call(ct); return true; }, cancellationToken, container, extra);
}
