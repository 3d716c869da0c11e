using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using k8s;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KSync.Plugin.Cluster;

/// <summary>
/// A local port on 127.0.0.1 (random) that leads to a port of a pod: every accepted connection opens its own
/// WebSocket port-forward (<c>v4.channel.k8s.io</c>: data on channel 0, errors on channel 1, the first frame of each
/// channel carries the port) and pumps bytes both ways. The error channel is read: its text ends the connection and
/// becomes <see cref="LastError"/>. When opening fails (API down, pod replaced) it is retried with backoff after
/// resolving the pod again, so the tunnel re-establishes itself while its local port stays the same. Disposing
/// stops the listener and closes every connection.
/// </summary>
internal sealed partial class Tunnel : IAsyncDisposable
{
    /// <summary>The port-forward subprotocol (kubelet streaming server, websocket port-forward).</summary>
    public const string Protocol = "v4.channel.k8s.io";

    private readonly Kubernetes _client;
    private readonly string _namespace;
    private readonly Func<CancellationToken, Task<string>> _resolvePod;
    private readonly ILogger _logger;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly ResiliencePipeline _open;
    private readonly Lock _lock = new();
    private Task _acceptLoop = Task.CompletedTask;
    private string? _podName;
    private TunnelError? _lastError;
    private long _total;
    private int _disposed;

    private Tunnel(Kubernetes client, string ns, Func<CancellationToken, Task<string>> resolvePod, int remotePort, ILogger logger, TunnelOptions options)
    {
        _client = client;
        _namespace = ns;
        _resolvePod = resolvePod;
        RemotePort = remotePort;
        _logger = logger;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _open = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
                MaxRetryAttempts = Math.Max(0, options.OpenAttempts - 1),
                OnRetry = args =>
                {
                    // The pod may have been replaced: resolve it again on the next attempt.
                    lock (_lock)
                    {
                        _podName = null;
                    }

                    Log.OpenRetry(_logger, _namespace, RemotePort, args.AttemptNumber + 1, args.Outcome.Exception?.Message ?? string.Empty);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>
    /// Raised (on a pump's thread) when a connection ended from the pod's side — the port-forward was closed, broke,
    /// reported an error — or could not be opened at all, with why. The tunnel itself stays usable; what the loss means
    /// is for the owner to decide (a link whose sync connection is lost is broken).
    /// </summary>
    public event EventHandler<string>? ConnectionLost;

    /// <summary>Gets the local port on 127.0.0.1.</summary>
    public int LocalPort { get; private set; }

    /// <summary>Gets the pod port connections lead to.</summary>
    public int RemotePort { get; }

    /// <summary>Gets the pod the last connection went to, or null before the first.</summary>
    public string? PodName
    {
        get
        {
            lock (_lock)
            {
                return _podName;
            }
        }
    }

    /// <summary>Gets the last error (error channel text or open failure), or null.</summary>
    public TunnelError? LastError
    {
        get
        {
            lock (_lock)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Gets the number of connections open now.</summary>
    public int ActiveConnections => _connections.Count;

    /// <summary>Gets the number of connections accepted so far.</summary>
    public long TotalConnections => Interlocked.Read(ref _total);

    /// <summary>Opens a tunnel to a port of a fixed pod.</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="ns">The pod's namespace.</param>
    /// <param name="podName">The pod.</param>
    /// <param name="remotePort">The pod port.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="options">Timing; null for defaults.</param>
    /// <returns>The listening tunnel.</returns>
    public static Tunnel Start(Kubernetes client, string ns, string podName, int remotePort, ILogger logger, TunnelOptions? options = null)
        => Start(client, ns, _ => Task.FromResult(podName), remotePort, logger, options);

    /// <summary>Opens a tunnel whose pod is resolved when a connection needs it (again after failures).</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="ns">The pod's namespace.</param>
    /// <param name="resolvePod">Returns the pod name to forward to.</param>
    /// <param name="remotePort">The pod port.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="options">Timing; null for defaults.</param>
    /// <returns>The listening tunnel.</returns>
    public static Tunnel Start(Kubernetes client, string ns, Func<CancellationToken, Task<string>> resolvePod, int remotePort, ILogger logger, TunnelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resolvePod);
        ArgumentNullException.ThrowIfNull(logger);
        var tunnel = new Tunnel(client, ns, resolvePod, remotePort, logger, options ?? new TunnelOptions());
        tunnel._listener.Start();
        tunnel.LocalPort = ((IPEndPoint)tunnel._listener.LocalEndpoint).Port;
        tunnel._acceptLoop = Task.Run(tunnel.AcceptLoopAsync);
        Log.Listening(logger, tunnel.LocalPort, ns, remotePort);
        return tunnel;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Task.WhenAll([_acceptLoop, .. _connections.Values]).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket local;
            try
            {
                local = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var id = Interlocked.Increment(ref _total);
            var task = Task.Run(() => HandleAsync(local, _stop.Token));
            _connections[id] = task;
            _ = task.ContinueWith(_ => _connections.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    private void RaiseLost(string reason)
    {
        if (!_stop.IsCancellationRequested)
        {
            ConnectionLost?.Invoke(this, reason);
        }
    }

    private void SetError(string message)
    {
        lock (_lock)
        {
            _lastError = new TunnelError(DateTimeOffset.UtcNow, message);
        }
    }

    private async Task<string> ResolveAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_podName is not null)
            {
                return _podName;
            }
        }

        var pod = await _resolvePod(cancellationToken);
        lock (_lock)
        {
            _podName = pod;
        }

        return pod;
    }
}
