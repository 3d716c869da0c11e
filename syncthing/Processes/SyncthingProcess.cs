using System.Diagnostics;
using System.Globalization;
using KSync.Syncthing.Versions;
using KSync.Syncthing.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Syncthing.Processes;

/// <summary>
/// The managed local syncthing: one child process per ksync home, configured before it starts (loopback only, no
/// discovery, relays, NAT, reporting or upgrades), supervised and restarted with backoff when it dies, stopped
/// gracefully (REST shutdown, then kill). On Linux it dies with ksync (parent-death signal), it runs as a single
/// process (no monitor child: docs/architecture.md, "syncthing facts"), and a PID file keeps a second ksync off the same home.
/// Lifecycle: <see cref="StartAsync"/> → running (restarts raise <see cref="Restarted"/>) → <see cref="StopAsync"/>.
/// Facets: <c>.Launch</c> (one process start), <c>.Supervise</c> (restart loop), <c>.Log</c>.
/// </summary>
public sealed partial class SyncthingProcess : IAsyncDisposable
{
    private readonly SyncthingProcessOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SyncthingHome _home;
    private readonly CancellationTokenSource _lifetime = new();
    private RotatingLogFile? _log;
    private PidFile? _pidFile;
    private Process? _process;
    private Task? _supervisor;
    private SyncthingClient? _client;
    private string? _apiKey;
    private int _restartCount;
    private int _state; // 0 new, 1 started, 2 stopping/stopped

    /// <summary>Creates the manager; nothing starts until <see cref="StartAsync"/>.</summary>
    /// <param name="binary">The syncthing to run.</param>
    /// <param name="options">Home, ports and timeouts.</param>
    /// <param name="logger">Logger; null for none.</param>
    /// <param name="timeProvider">Clock for backoff; null for the system clock.</param>
    public SyncthingProcess(SyncthingBinary binary, SyncthingProcessOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(options);
        Binary = binary;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _home = new SyncthingHome(options.SyncthingHomeDirectory);
    }

    /// <summary>Raised (on a thread-pool thread) after syncthing died and was started again; re-apply folders then.</summary>
    public event EventHandler<SyncthingRestartedEventArgs>? Restarted;

    /// <summary>Gets the syncthing executable being run.</summary>
    public SyncthingBinary Binary { get; }

    /// <summary>Gets the REST client of this syncthing (valid after <see cref="StartAsync"/>; follows restarts).</summary>
    public SyncthingClient Client => _client ?? throw new InvalidOperationException("syncthing is not started.");

    /// <summary>Gets this device's ID (stable across runs: the home is kept).</summary>
    public string DeviceId { get; private set; } = string.Empty;

    /// <summary>Gets the GUI/REST port on 127.0.0.1.</summary>
    public int ApiPort { get; private set; }

    /// <summary>Gets the sync protocol port on 127.0.0.1.</summary>
    public int ListenPort { get; private set; }

    /// <summary>Gets the sync address other devices dial: <c>tcp://127.0.0.1:{ListenPort}</c>.</summary>
    public string ListenAddress => string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{ListenPort}");

    /// <summary>Gets the API key (random, stored 0600 in the home).</summary>
    public string ApiKey => _apiKey ?? throw new InvalidOperationException("syncthing is not started.");

    /// <summary>Gets the PID of the running syncthing, or null between a death and its restart.</summary>
    public int? Pid
    {
        get
        {
            var process = Volatile.Read(ref _process);
            try
            {
                return process is { HasExited: false } ? process.Id : null;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>Gets how many times syncthing was restarted after dying.</summary>
    public int RestartCount => Volatile.Read(ref _restartCount);

    /// <summary>Gets the path of syncthing's log file.</summary>
    public string LogFile => _options.LogFilePath;

    /// <summary>
    /// Takes the home (PID file), generates the identity on first use, writes the safe config, starts syncthing and
    /// waits until its API answers, then starts supervising it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start (syncthing is stopped again).</param>
    /// <returns>A task that completes when the API answers.</returns>
    /// <exception cref="SyncthingException">
    /// Another ksync holds the home (the message names its PID), or syncthing did not come up within
    /// <see cref="SyncthingProcessOptions.StartTimeout"/> (the message holds the last lines of its log).
    /// </exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("StartAsync was already called.");
        }

        CreateRoot(_options.Root);
        _pidFile = PidFile.Acquire(_options.PidFilePath, $"The local syncthing of {_options.Root}");
        try
        {
            _log = new RotatingLogFile(_options.LogFilePath);
            if (await _home.EnsureGeneratedAsync(Binary, cancellationToken))
            {
                Log.Generated(_logger, _home.Directory);
            }

            _apiKey = _home.ReadOrCreateApiKey();
            ApiPort = _options.ApiPort != 0 ? _options.ApiPort : FreeLoopbackPort();
            ListenPort = _options.ListenPort != 0 ? _options.ListenPort : FreeLoopbackPort(ApiPort);
            _client = new SyncthingClient(ApiUri(ApiPort), _apiKey, logger: _logger);
            await LaunchUntilReadyAsync(cancellationToken);
            var status = await _client.GetSystemStatusAsync(cancellationToken);
            DeviceId = status.MyId;
            Log.Started(_logger, Binary.Version.Text, DeviceId, ApiPort, ListenPort, Pid ?? 0);
            _supervisor = Task.Run(() => SuperviseAsync(_lifetime.Token), CancellationToken.None);
        }
        catch
        {
            await StopAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Stops supervising and stops syncthing: <c>POST /rest/system/shutdown</c>, wait up to
    /// <see cref="SyncthingProcessOptions.StopTimeout"/>, then kill. Releases the PID file. Idempotent.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for a graceful exit (syncthing is then killed).</param>
    /// <returns>A task that completes when syncthing is gone.</returns>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, 2) == 2 && _pidFile is null)
        {
            return;
        }

        await _lifetime.CancelAsync();
        if (_supervisor is not null)
        {
            try
            {
                await _supervisor;
            }
            catch (OperationCanceledException)
            {
            }
        }

        await StopProcessAsync(cancellationToken);
        _pidFile?.Dispose();
        _pidFile = null;
        _log?.Dispose();
        Log.Stopped(_logger);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _client?.Dispose();
        _lifetime.Dispose();
    }

    private static void CreateRoot(string root)
    {
        if (Directory.Exists(root))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(root);
        }
        else
        {
            Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static Uri ApiUri(int port) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));

    private static int FreeLoopbackPort(int avoid = 0)
    {
        while (true)
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            if (port != avoid && port != 22000)
            {
                return port;
            }
        }
    }
}
