namespace KSync.Syncthing.Client;

/// <summary>System endpoints (syncthing REST: "System Endpoints", /rest/system/*).</summary>
public sealed partial class SyncthingClient
{
    /// <summary><c>GET /rest/system/ping</c>: checks that the API answers and accepts the key (1.19 has no <c>/rest/noauth/health</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when syncthing answered <c>pong</c>.</returns>
    /// <exception cref="SyncthingException">No answer, or the key was rejected.</exception>
    public async Task PingAsync(CancellationToken cancellationToken)
        => _ = await GetJsonAsync("rest/system/ping", null, SyncthingJsonContext.Default.PingResponse, cancellationToken);

    /// <summary>
    /// Pings once, without retries and with <paramref name="timeout"/>; used to wait for a starting syncthing.
    /// </summary>
    /// <param name="timeout">Time the attempt may take.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when syncthing answered.</returns>
    /// <exception cref="SyncthingException">No answer, or the key was rejected.</exception>
    public Task PingOnceAsync(TimeSpan timeout, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Get, "rest/system/ping", null, null, timeout, retry: false, cancellationToken);

    /// <summary><c>GET /rest/system/status</c>: this device's ID and uptime.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<SystemStatus> GetSystemStatusAsync(CancellationToken cancellationToken)
        => GetJsonAsync("rest/system/status", null, SyncthingJsonContext.Default.SystemStatus, cancellationToken);

    /// <summary><c>GET /rest/system/version</c>: the running syncthing's version.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<SystemVersion> GetVersionAsync(CancellationToken cancellationToken)
        => GetJsonAsync("rest/system/version", null, SyncthingJsonContext.Default.SystemVersion, cancellationToken);

    /// <summary><c>GET /rest/system/connections</c>: which configured devices are connected.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The connections by device ID.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task<SystemConnections> GetConnectionsAsync(CancellationToken cancellationToken)
        => GetJsonAsync("rest/system/connections", null, SyncthingJsonContext.Default.SystemConnections, cancellationToken);

    /// <summary><c>POST /rest/system/restart</c>: syncthing restarts itself (not retried). ksync never needs it for folder changes.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the restart was accepted.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task RestartAsync(CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, "rest/system/restart", null, null, _options.RequestTimeout, retry: false, cancellationToken);

    /// <summary><c>POST /rest/system/shutdown</c>: syncthing exits (about 0.3 s later; not retried).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the shutdown was accepted.</returns>
    /// <exception cref="SyncthingException">The call failed.</exception>
    public Task ShutdownAsync(CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, "rest/system/shutdown", null, null, _options.RequestTimeout, retry: false, cancellationToken);
}
