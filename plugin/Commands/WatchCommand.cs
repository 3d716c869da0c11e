using System.CommandLine;
using KSync.Plugin.Errors;
using KSync.Plugin.Logging;
using KSync.Plugin.Processes;
using KSync.Plugin.Watch;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync watch</c>: syncs every spec of ksync.yaml with every matching container while it runs, follows
/// edits of the file, and serves status to <c>get</c>. <c>--daemon</c> runs it in the background
/// (<c>~/.ksync/daemon.pid</c>, <c>~/.ksync/daemon.log</c>); <c>clean --local</c> stops it.
/// </summary>
internal sealed class WatchCommand : Command
{
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
            var pid = await DaemonLauncher.StartAsync(home, args, TimeSpan.FromSeconds(30), cancellationToken);
            await context.Out.WriteLineAsync($"watch is running in the background (PID {pid}). Logs: {home.DaemonLog}");
            await context.Out.WriteLineAsync("Stop it with 'kubectl ksync clean --local'; see its status with 'kubectl ksync get'.");
            return ExitCodes.Success;
        }

        using var daemon = DaemonLauncher.BecomeDaemonIfAsked(home, context.Environment);
        using var loggers = KsyncLogging.CreateFactory(settings.LogLevel);
        return await new WatchRunner(context, settings, loggers).RunAsync(cancellationToken);
    }
}
