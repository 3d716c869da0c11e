using System.Diagnostics;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.Plugin.Config;
using KSync.Plugin.Status;
using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Syncing;

/// <summary>
/// Runs <c>kubectl ksync watch</c>: checks the status port, connects to the cluster, starts the local syncthing,
/// turns every spec of ksync.yaml and of the project's spec file into live syncs (<see cref="SpecList"/>), serves
/// status, and on Ctrl-C or SIGTERM tears every folder and tunnel down and stops syncthing (within about 5 s).
/// </summary>
internal sealed partial class WatchRunner
{
    private readonly CliContext _cli;
    private readonly GlobalSettings _settings;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly WatchOptions _options;

    /// <summary>Creates the runner.</summary>
    /// <param name="cli">The CLI context.</param>
    /// <param name="settings">The global settings (flags and environment).</param>
    /// <param name="loggers">Makes loggers.</param>
    /// <param name="options">Tuning; null for the defaults.</param>
    public WatchRunner(CliContext cli, GlobalSettings settings, ILoggerFactory loggers, WatchOptions? options = null)
    {
        _cli = cli;
        _settings = settings;
        _loggers = loggers;
        _logger = loggers.CreateLogger("KSync.Plugin.Watch");
        _options = options ?? new WatchOptions();
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops watch (Ctrl-C, SIGTERM).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="KsyncException">The config does not parse, the port or home is in use, no kubeconfig, no syncthing.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var home = _cli.Home.EnsureExists();
        var store = new ConfigStore(home.ConfigFile);
        var settings = _settings.WithConfigDefaults(await store.LoadAsync(cancellationToken));
        var port = settings.Port ?? GlobalOptions.DefaultStatusPort;
        await StatusPort.EnsureFreeAsync(port, _logger, cancellationToken);
        using var cluster = KubeClientFactory.Create(settings, _cli.Environment, _cli.WorkingDirectory);
        Log.Starting(_logger, cluster.Server, cluster.ContextName ?? "in-cluster", home.Root);

        var board = new StatusBoard();
        var connections = new ApiConnections();
        var local = await LocalSyncthing.StartAsync(home, _cli.Environment, _logger, cancellationToken);
        FolderContext? context = null;
        var nodes = new NodeSessionPool((node, ct) => NodeSession.ConnectAsync(cluster.Client, node, local.Endpoint, id => context!.IsActive(id), _logger, ct));
        context = new FolderContext(local, nodes, _options, _loggers);
        var folders = new FolderFactory(context);
        var source = new PodContainerSource(cluster.Client, connections, _loggers);
        var specs = new SpecList(
            new ConfigFollower(store, _logger, locateProject: () => ProjectFile.Locate(home, _cli.Environment, _cli.WorkingDirectory)),
            details => new Spec(details, source, (d, container) => new Service(d, container, folders, board, _logger, TimeProvider.System), board, _logger),
            board,
            _logger);
        StatusServer? server = null;
        try
        {
            server = await StatusServer.StartAsync(port, new WatchStatus(specs, board, connections.Current, local.IsAliveAsync), settings.LogLevel, cancellationToken);
            Log.Running(_logger, port);
            await specs.RunAsync(cancellationToken);
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await specs.DisposeAsync();
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            await nodes.DisposeAsync();
            await local.DisposeAsync();
            Log.Stopped(_logger, stopping.ElapsedMilliseconds);
        }

        return ExitCodes.Success;
    }
}
