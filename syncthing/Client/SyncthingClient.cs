using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace KSync.Syncthing.Client;

/// <summary>
/// Typed client of one syncthing's REST API (syncthing docs "REST API", docs.syncthing.net/dev/rest.html). Every
/// call sends the <c>X-API-Key</c> header, has a timeout, retries transient failures through a Polly pipeline, and
/// fails with a <see cref="SyncthingException"/> naming the endpoint and syncthing's message. The API may be local or
/// reached through a tunnel; the client does not care. Facets: <c>.System</c>, <c>.Config</c>, <c>.Db</c>,
/// <c>.Events</c>, and the plumbing in <c>.Http</c>.
/// </summary>
public sealed partial class SyncthingClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly SyncthingClientOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retrying;
    private Uri _baseAddress;

    /// <summary>Creates a client; nothing is sent until a method is called.</summary>
    /// <param name="baseAddress">API address, e.g. <c>http://127.0.0.1:8384/</c>.</param>
    /// <param name="apiKey">The API key.</param>
    /// <param name="options">Timeouts and retries; null for the defaults.</param>
    /// <param name="handler">HTTP handler (tests, tunnels); null for a new <see cref="SocketsHttpHandler"/>.</param>
    /// <param name="logger">Logger for retries; null for none.</param>
    public SyncthingClient(Uri baseAddress, string apiKey, SyncthingClientOptions? options = null, HttpMessageHandler? handler = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        _baseAddress = baseAddress;
        ApiKey = apiKey;
        _options = options ?? new SyncthingClientOptions();
        _logger = logger ?? NullLogger.Instance;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30), UseProxy = false }, disposeHandler: handler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _retrying = CreateRetryPipeline();
    }

    /// <summary>Gets the API address requests go to.</summary>
    public Uri BaseAddress => Volatile.Read(ref _baseAddress);

    /// <summary>Gets the API key sent with every request.</summary>
    public string ApiKey { get; }

    /// <summary>Points the client at a new address (the managed syncthing restarted on another port).</summary>
    /// <param name="baseAddress">The new API address.</param>
    public void UseBaseAddress(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        Volatile.Write(ref _baseAddress, baseAddress);
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}
