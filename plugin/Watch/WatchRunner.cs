using System.Diagnostics;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Engine.Identity;
using KSync.Engine.Local;
using KSync.Engine.Nodes;
using KSync.Engine.Status;
using KSync.Engine.Syncing;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.Plugin.Errors;
using KSync.Plugin.Status;
using KSync.Syncthing;
using KSync.Syncthing.Versions;
using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Watch;

/// <summary>
/// Runs <c>kubectl ksync watch</c>: checks the status port, connects to the cluster, starts the local syncthing,
/// turns every spec of ksync.yaml and of the project's spec file into live syncs (<see cref="SpecList"/>), removes
/// leftovers (<see cref="LeftoverSweeper"/>), serves status, and on Ctrl-C or SIGTERM closes every tunnel and stops
/// syncthing, leaving the folders configured so the next watch resumes them.
/// </summary>
internal sealed partial class WatchRunner
{
    /// <summary>The environment variable that turns the seed off: <c>KSYNC_SEED=off</c> (docs/architecture.md, "The seed").</summary>
    public const string SeedVariable = "KSYNC_SEED";

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
        _options = options ?? OptionsFrom(cli.Environment);
    }

    /// <summary>watch's tuning from its environment: the defaults, but the seed off when <see cref="SeedVariable"/> is <c>off</c>.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <returns>The options.</returns>
    public static WatchOptions OptionsFrom(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new WatchOptions { Seed = !string.Equals(environment(SeedVariable), "off", StringComparison.OrdinalIgnoreCase) };
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="cancellationToken">Stops watch (Ctrl-C, SIGTERM).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="KsyncException">The port is in use, or no kubeconfig.</exception>
    /// <exception cref="ConfigException">The config does not parse.</exception>
    /// <exception cref="SyncthingException">No usable syncthing, or another watch runs on the same home.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var home = _cli.Home.EnsureExists();
        var store = new ConfigStore(home.ConfigFile);
        var settings = _settings.WithConfigDefaults(await store.LoadAsync(cancellationToken));
        var port = settings.Port ?? GlobalOptions.DefaultStatusPort;
        await StatusPort.EnsureFreeAsync(port, _logger, cancellationToken);
        using var cluster = KubeClientFactory.Create(settings, _cli.Environment, _cli.WorkingDirectory);
        Log.Starting(_logger, cluster.Server, cluster.ContextName ?? "in-cluster", home.Root);

        var time = TimeProvider.System;
        var board = new StatusBoard();
        var connections = new ApiConnections();
        var binary = await SyncthingBinaryResolver.ResolveAsync(home.BinDirectory, _cli.Environment, cancellationToken);
        var identities = new FolderIdentities(new StateFile(home.StateFile));
        identities.Load();

        // The links to the nodes the state file names open while the local syncthing starts: a restarted watch resumes
        // without waiting for one after the other (docs/architecture.md, "The resume rule").
        await using var connector = new EarlyNodeConnector(new ClusterNodeConnector(cluster.Client, _logger), time);
        connector.Open(identities.Records.Select(r => r.Node));
        var local = await LocalSyncthing.StartAsync(binary, home, identities, _logger, time, cancellationToken);
        var nodes = new NodeSessionPool((node, ct) => NodeSession.ConnectAsync(connector, node, local.Endpoint, local.Events, identities, _logger, time, ct));
        var sweeper = new LeftoverSweeper(identities, local.Endpoint, nodes, new PodLookup(cluster.Client), _logger, time);
        var folders = new FolderFactory(new FolderContext(local, nodes, identities, _options, _loggers, time, sweeper));
        var source = new PodContainerSource(cluster.Client, connections, _loggers);
        var specs = new SpecList(
            new ConfigSpecSource(new ConfigFollower(store, _logger, locateProject: () => ProjectFile.Locate(home, _cli.Environment, _cli.WorkingDirectory))),
            details => new Spec(details, source, (d, container) => new Service(d, container, folders, board, _logger, time), board, _logger),
            board,
            _logger);
        specs.Applied += (_, running) => sweeper.SetSpecs(running);
        StatusServer? server = null;

        // A progress line for long seeds only on a terminal (docs/architecture.md, "The seed"); else the log says it.
        using var stopLine = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seedLine = Console.IsErrorRedirected ? Task.CompletedTask : SeedLineReporter.RunAsync(specs, board, _cli.Error, TerminalWidth, time, stopLine.Token);
        try
        {
            sweeper.Start();
            server = await StatusServer.StartAsync(port, new WatchStatus(specs, board, connections.Current, local.IsAliveAsync), settings.LogLevel, cancellationToken);
            Log.Running(_logger, port);
            await specs.RunAsync(cancellationToken);
        }
        finally
        {
            // Folders stay configured on both syncthings for the next watch to resume (docs/architecture.md, "The resume rule").
            var stopping = Stopwatch.StartNew();
            await stopLine.CancelAsync();
            await seedLine;
            await sweeper.DisposeAsync();
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

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
