namespace KSync.Radar.Syncthing;

/// <summary>
/// Keeps the node syncthing private: polls its status every <see cref="RadarOptions.SyncthingPollInterval"/> and,
/// at radar's start and whenever syncthing (re)started (its <c>startTime</c> changed, or it came back after not
/// answering), applies <see cref="SyncthingClient.ConfigureOptionsAsync"/> so its sync port listens on 127.0.0.1
/// only. Retries on the next poll when that fails.
/// </summary>
internal sealed partial class SyncthingBootstrapper : BackgroundService
{
    private readonly SyncthingClient _client;
    private readonly RadarOptions _options;
    private readonly ILogger<SyncthingBootstrapper> _logger;
    private string? _configuredStart;
    private bool _answering;

    /// <summary>Creates the bootstrapper.</summary>
    /// <param name="client">The node syncthing's API.</param>
    /// <param name="options">radar's options (sync port, poll interval).</param>
    /// <param name="logger">Logger.</param>
    public SyncthingBootstrapper(SyncthingClient client, RadarOptions options, ILogger<SyncthingBootstrapper> logger)
    {
        _client = client;
        _options = options;
        _logger = logger;
    }

    /// <summary>Gets how many times the options were applied (for tests and logs).</summary>
    public int ConfiguredCount { get; private set; }

    /// <summary>Tells whether the options were applied to the syncthing process that started at <paramref name="startTime"/>.</summary>
    /// <param name="startTime">syncthing's <c>startTime</c> as its status reports it, or null when it does not answer.</param>
    /// <returns>True when radar configured that very process.</returns>
    public bool IsConfigured(string? startTime) => startTime is not null && startTime == _configuredStart;

    /// <summary>Checks once and configures syncthing when it (re)started.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes after the check.</returns>
    public async Task CheckOnceAsync(CancellationToken cancellationToken)
    {
        var status = await _client.GetStatusAsync(cancellationToken);
        if (status is null)
        {
            if (_answering)
            {
                Log.SyncthingGone(_logger, _client.ApiAddress);
            }

            _answering = false;
            _configuredStart = null;
            return;
        }

        _answering = true;
        if (_configuredStart == status.StartTime)
        {
            return;
        }

        try
        {
            await _client.ConfigureOptionsAsync(_options.SyncthingSyncPort, cancellationToken);
            _configuredStart = status.StartTime;
            ConfiguredCount++;
            Log.SyncthingConfigured(_logger, status.MyID, _options.SyncthingSyncPort);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.SyncthingConfigureFailed(_logger, _client.ApiAddress, ex);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_client.HasApiKey)
        {
            Log.NoApiKey(_logger);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await CheckOnceAsync(stoppingToken);
            try
            {
                await Task.Delay(_options.SyncthingPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
