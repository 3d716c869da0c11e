using KSync.Syncthing;
using KSync.Syncthing.Client;

namespace KSync.Radar.Syncthing;

/// <summary>
/// The node syncthing radar looks after, reached through the syncthing library's <see cref="SyncthingClient"/> with the
/// installation's API key; each call is bounded by <see cref="CallTimeout"/> and not retried (radar polls again
/// anyway). Without a key (<c>KSYNC_SYNCTHING_API_KEY</c> unset) there is no client: syncthing refuses calls without one.
/// </summary>
internal sealed class SyncthingTarget : IDisposable
{
    /// <summary>How long one REST call may take: 3 s.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Creates the target from radar's options; nothing is sent yet.</summary>
    /// <param name="options">radar's options: API address and key.</param>
    public SyncthingTarget(RadarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ApiAddress = options.SyncthingApi;
        Client = options.SyncthingApiKey.Length > 0
            ? new SyncthingClient(options.SyncthingApi, options.SyncthingApiKey, new SyncthingClientOptions { RequestTimeout = CallTimeout, MaxRetries = 0 })
            : null;
    }

    /// <summary>Gets the API base address.</summary>
    public Uri ApiAddress { get; }

    /// <summary>Gets the REST client, or null when no API key is configured.</summary>
    public SyncthingClient? Client { get; }

    /// <summary>Reads the device ID and start time (syncthing REST: <c>GET /rest/system/status</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status, or null when there is no key or syncthing does not answer.</returns>
    public Task<SystemStatus?> TryGetStatusAsync(CancellationToken cancellationToken)
        => OrNullAsync(Client, (c, ct) => c.GetSystemStatusAsync(ct), cancellationToken);

    /// <summary>Reads syncthing's version (syncthing REST: <c>GET /rest/system/version</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The version, or null when there is no key or syncthing does not answer.</returns>
    public Task<SystemVersion?> TryGetVersionAsync(CancellationToken cancellationToken)
        => OrNullAsync(Client, (c, ct) => c.GetVersionAsync(ct), cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => Client?.Dispose();

    private static async Task<T?> OrNullAsync<T>(SyncthingClient? client, Func<SyncthingClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        if (client is null)
        {
            return null;
        }

        try
        {
            return await call(client, cancellationToken);
        }
        catch (SyncthingException)
        {
            return null;
        }
    }
}
