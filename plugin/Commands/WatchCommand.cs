using System.CommandLine;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Plugin.Errors;
using KSync.Plugin.Logging;
using KSync.Plugin.Processes;
using KSync.Plugin.Status;
using KSync.Plugin.Watch;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync watch</c>: syncs every spec of ksync.yaml and of the project's spec file with every matching
/// container while it runs, follows edits of both files, and serves status to <c>get</c>. <c>--daemon</c> runs it in
/// the background (<c>~/.ksync/daemon.pid</c>, <c>~/.ksync/daemon.log</c>); <c>clean --local</c> stops it.
/// </summary>
internal sealed class WatchCommand : Command
{
    /// <summary>
    /// How long <c>watch --daemon</c> waits for the background watch to serve status: 90 s. It normally takes a few
    /// seconds; the margin covers a status port still held by a closed connection (Linux keeps TIME_WAIT for 60 s).
    /// </summary>
    public static readonly TimeSpan DaemonReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly KsyncRootCommand _root;
    private readonly Option<bool> _daemon = new("--daemon", "-d") { Description = "Run in the background; stop it with 'kubectl ksync clean --local'" };

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public WatchCommand(KsyncRootCommand root)
        : base("watch", "Sync every spec with every matching container while this runs")
    {
        _root = root;
        Options.Add(_daemon);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var context = _root.Context;
        var settings = _root.Global.Resolve(parseResult);
        var home = context.Home;
        if (parseResult.GetValue(_daemon))
        {
            var args = parseResult.Tokens.Select(t => t.Value).Where(t => t is not "--daemon" and not "-d").ToList();
            var config = await new ConfigStore(home.ConfigFile).LoadAsync(cancellationToken);
            var port = settings.WithConfigDefaults(config).Port ?? GlobalOptions.DefaultStatusPort;
            using var status = new StatusClient(port);
            // The background watch runs in the ksync home: a relative KSYNC_PROJECT must not change its meaning.
            var project = context.Environment(ProjectFile.EnvironmentVariable);
            var environment = string.IsNullOrEmpty(project)
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { [ProjectFile.EnvironmentVariable] = Path.GetFullPath(project, context.WorkingDirectory) };
            var pid = await DaemonLauncher.StartAsync(
                home,
                args,
                environment,
                async (child, ct) => await status.TryIsAliveAsync(TimeSpan.FromSeconds(1), ct) is { } alive && alive.Pid == child,
                DaemonReadyTimeout,
                cancellationToken);
            await context.Out.WriteLineAsync($"watch is running in the background (PID {pid}). Logs: {home.DaemonLog}");
            await context.Out.WriteLineAsync("Stop it with 'kubectl ksync clean --local'; see its status with 'kubectl ksync get'.");
            return ExitCodes.Success;
        }

        using var daemon = DaemonLauncher.BecomeDaemonIfAsked(home, context.Environment);
        using var loggers = KsyncLogging.CreateFactory(settings.LogLevel);
        return await new WatchRunner(context, settings, loggers).RunAsync(cancellationToken);
    }
}
