using System.Globalization;
using KSync.Syncthing;
using KSync.Syncthing.Client;

namespace KSync.Radar.Syncthing;

/// <summary>
/// Keeps the node syncthing private: polls its status every <see cref="RadarOptions.SyncthingPollInterval"/> and,
/// at radar's start and whenever syncthing (re)started (its <c>startTime</c> changed, or it came back after not
/// answering), applies <see cref="OptionsConfiguration.Private"/> so its sync port listens on 127.0.0.1 only and it
/// never announces itself. Retries on the next poll when that fails. Without an API key it does nothing.
/// </summary>
internal sealed partial class SyncthingBootstrapper : BackgroundService
{
    private readonly SyncthingTarget _syncthing;
    private readonly RadarOptions _options;
    private readonly ILogger<SyncthingBootstrapper> _logger;
    private string? _configuredStart;
    private bool _answering;

    /// <summary>Creates the bootstrapper.</summary>
    /// <param name="syncthing">The node syncthing.</param>
    /// <param name="options">radar's options (sync port, poll interval).</param>
    /// <param name="logger">Logger.</param>
    public SyncthingBootstrapper(SyncthingTarget syncthing, RadarOptions options, ILogger<SyncthingBootstrapper> logger)
    {
        _syncthing = syncthing;
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
        var status = await _syncthing.TryGetStatusAsync(cancellationToken);
        if (status is null || _syncthing.Client is not { } client)
        {
            if (_answering)
            {
                Log.SyncthingGone(_logger, _syncthing.ApiAddress);
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
            var listener = "tcp://127.0.0.1:" + _options.SyncthingSyncPort.ToString(CultureInfo.InvariantCulture);
            await client.PatchOptionsAsync(OptionsConfiguration.Private(listener), cancellationToken);
            _configuredStart = status.StartTime;
            ConfiguredCount++;
            Log.SyncthingConfigured(_logger, status.MyId, _options.SyncthingSyncPort);
        }
        catch (Exception ex) when (ex is SyncthingException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.SyncthingConfigureFailed(_logger, _syncthing.ApiAddress, ex);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_syncthing.Client is null)
        {
            Log.NoApiKey(_logger);
            return;
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
