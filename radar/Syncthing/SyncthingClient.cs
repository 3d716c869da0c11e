using System.Globalization;

namespace KSync.Radar.Syncthing;

/// <summary>
/// The node syncthing's REST API as radar uses it (syncthing REST: <c>GET /rest/system/ping</c>,
/// <c>GET /rest/system/status</c>, <c>GET /rest/system/version</c>, <c>PATCH /rest/config/options</c>), with the
/// installation's API key in <c>X-API-Key</c>. Every call is bounded by <see cref="CallTimeout"/>.
/// </summary>
internal sealed class SyncthingClient : IDisposable
{
    /// <summary>How long one REST call may take: 3 s.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http;

    /// <summary>Creates the client.</summary>
    /// <param name="options">radar's options: API address and key.</param>
    public SyncthingClient(RadarOptions options)
    {
        ApiAddress = options.SyncthingApi;
        HasApiKey = options.SyncthingApiKey.Length > 0;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
        {
            BaseAddress = options.SyncthingApi,
            Timeout = CallTimeout,
        };
        if (HasApiKey)
        {
            _http.DefaultRequestHeaders.Add("X-API-Key", options.SyncthingApiKey);
        }
    }

    /// <summary>Gets the API base address.</summary>
    public Uri ApiAddress { get; }

    /// <summary>Gets a value indicating whether an API key is configured (without one syncthing answers 403).</summary>
    public bool HasApiKey { get; }

    /// <summary>Asks whether syncthing answers (<c>GET /rest/system/ping</c> → <c>{"ping":"pong"}</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it answered 200.</returns>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri("rest/system/ping", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            return false;
        }
    }

    /// <summary>Reads the device ID and start time.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status, or null when syncthing does not answer.</returns>
    public Task<SyncthingSystemStatus?> GetStatusAsync(CancellationToken cancellationToken)
        => GetAsync("rest/system/status", SyncthingJsonContext.Default.SyncthingSystemStatus, cancellationToken);

    /// <summary>Reads syncthing's version.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version, or null when syncthing does not answer.</returns>
    public Task<SyncthingVersion?> GetVersionAsync(CancellationToken cancellationToken)
        => GetAsync("rest/system/version", SyncthingJsonContext.Default.SyncthingVersion, cancellationToken);

    /// <summary>Pins the sync listener to 127.0.0.1 and turns discovery, relays, NAT, reporting and upgrades off.</summary>
    /// <param name="syncPort">The sync port.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when syncthing accepted the options.</returns>
    /// <exception cref="HttpRequestException">syncthing refused or did not answer.</exception>
    public async Task ConfigureOptionsAsync(int syncPort, CancellationToken cancellationToken)
    {
        var patch = new SyncthingOptionsPatch
        {
            ListenAddresses = ["tcp://127.0.0.1:" + syncPort.ToString(CultureInfo.InvariantCulture)],
        };
        using var content = JsonContent.Create(patch, SyncthingJsonContext.Default.SyncthingOptionsPatch);
        using var response = await _http.PatchAsync(new Uri("rest/config/options", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static bool IsTransport(Exception ex, CancellationToken cancellationToken)
        => ex is HttpRequestException or System.Text.Json.JsonException
           || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<T?> GetAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync(type, cancellationToken) : null;
        }
        catch (Exception ex) when (IsTransport(ex, cancellationToken))
        {
            return null;
        }
    }
}
