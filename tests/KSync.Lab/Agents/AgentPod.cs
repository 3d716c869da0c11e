using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace KSync.Lab.Agents;

/// <summary>
/// The node agent of one DaemonSet pod, running on the host: radar and syncthing as supervised processes, each pod
/// port mapped to a free host port on 127.0.0.1. Port-forwards to the pod reach these ports.
/// </summary>
internal sealed class AgentPod : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<int, int> _ports;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly Func<Task> _removeSandbox;

    /// <summary>Creates the agent (processes not started yet).</summary>
    /// <param name="uid">Pod UID.</param>
    /// <param name="ports">Pod port → host port.</param>
    /// <param name="radarHealthPort">Host port that serves radar's gRPC health.</param>
    /// <param name="apiKey">The node syncthing's API key.</param>
    /// <param name="containers">Container name → process.</param>
    /// <param name="droppedRadarArgs">Rendered radar args the radar binary did not know.</param>
    /// <param name="sandboxId">The pod's sandbox container in the lab engine.</param>
    /// <param name="removeSandbox">Removes the sandbox.</param>
    public AgentPod(string uid, IReadOnlyDictionary<int, int> ports, int radarHealthPort, string apiKey, IReadOnlyDictionary<string, AgentProcess> containers, IReadOnlyList<string> droppedRadarArgs, string sandboxId, Func<Task> removeSandbox)
    {
        SandboxId = sandboxId;
        _removeSandbox = removeSandbox;
        Uid = uid;
        _ports = ports;
        RadarHealthPort = radarHealthPort;
        ApiKey = apiKey;
        Containers = containers;
        DroppedRadarArgs = droppedRadarArgs;
    }

    /// <summary>Gets the sandbox container's ID (reported as every container's ID, docker://).</summary>
    public string SandboxId { get; }

    /// <summary>Gets the pod UID.</summary>
    public string Uid { get; }

    /// <summary>Gets the host port of radar's health service.</summary>
    public int RadarHealthPort { get; }

    /// <summary>Gets the node syncthing's API key.</summary>
    public string ApiKey { get; }

    /// <summary>Gets the processes by container name.</summary>
    public IReadOnlyDictionary<string, AgentProcess> Containers { get; }

    /// <summary>Gets the rendered radar args the binary did not know (and the lab dropped).</summary>
    public IReadOnlyList<string> DroppedRadarArgs { get; }

    /// <summary>Gets or sets the readiness of each container, from the last probe.</summary>
    public Dictionary<string, bool> Ready { get; set; } = [];

    /// <summary>The host port behind a pod port.</summary>
    /// <param name="podPort">Pod port (40321, 40320, 8384, 22000).</param>
    /// <returns>The host port, or null when the pod does not expose it.</returns>
    public int? HostPort(int podPort) => _ports.TryGetValue(podPort, out var port) ? port : null;

    /// <summary>Connects to a pod port.</summary>
    /// <param name="podPort">The pod port.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="SocketException">Nothing listens there.</exception>
    public async Task<Stream> ConnectAsync(int podPort, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // An unknown pod port has nothing listening, like a real pod: connection refused.
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, HostPort(podPort) ?? 1, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Probes both containers: radar's gRPC health service and syncthing's <c>/rest/system/ping</c>.</summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>Readiness per container name.</returns>
    public async Task<Dictionary<string, bool>> ProbeAsync(CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, bool>();
        foreach (var name in Containers.Keys)
        {
            result[name] = Containers[name].Pid is not null && name switch
            {
                "radar" => await ProbeRadarAsync(cancellationToken),
                "syncthing" => await ProbeSyncthingAsync(cancellationToken),
                _ => true,
            };
        }

        return result;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Containers.Values.Select(p => p.DisposeAsync().AsTask()));
        await _removeSandbox();
        _http.Dispose();
    }

    private async Task<bool> ProbeRadarAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{RadarHealthPort}");
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
        }
        catch (Grpc.Core.RpcException)
        {
            return false;
        }
    }

    private async Task<bool> ProbeSyncthingAsync(CancellationToken cancellationToken)
    {
        if (HostPort(8384) is not int port)
        {
            return false;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/rest/system/ping");
            request.Headers.Add("X-API-Key", ApiKey);
            using var response = await _http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
