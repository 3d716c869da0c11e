using System.CommandLine;
using Grpc.Core;
using KSync.Config.Store;
using KSync.Plugin.Errors;
using KSync.Plugin.Output;
using KSync.Plugin.Status;
using KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync reload NAME... | --all</c>: asks the running watch to reload EVERY container the named specs sync
/// (the original reloaded only the first), in each spec's reload mode (a spec with mode none is restarted).
/// </summary>
internal sealed class ReloadCommand : Command
{
    private readonly KsyncRootCommand _root;
    private readonly Argument<string[]> _names = new("name") { Description = "Specs whose containers to reload", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<bool> _all = new("--all", "-a") { Description = "Reload the containers of every spec" };

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public ReloadCommand(KsyncRootCommand root)
        : base("reload", "Reload (restart or signal) every container of the named specs now")
    {
        _root = root;
        _names.Validators.Add(NameArguments.RejectOptionLikeTokens);
        Arguments.Add(_names);
        Options.Add(_all);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var context = _root.Context;
        var names = parseResult.GetValue(_names) ?? [];
        var all = parseResult.GetValue(_all);
        if (all == (names.Length > 0))
        {
            throw all
                ? new KsyncException("Give spec names or --all, not both.", "kubectl ksync reload NAME... or kubectl ksync reload --all")
                : new KsyncException("No spec to reload.", "Name the specs (kubectl ksync get lists them), or pass --all.");
        }

        var settings = _root.Global.Resolve(parseResult);
        var port = settings.Port ?? (await new ConfigStore(context.Home.ConfigFile).LoadAsync(cancellationToken)).Port ?? GlobalOptions.DefaultStatusPort;
        using var status = new StatusClient(port);
        if (await status.TryIsAliveAsync(GetCommand.WatchProbeTimeout, cancellationToken) is null)
        {
            throw new KsyncException(
                $"reload asks the running watch, and none answers on 127.0.0.1:{port}.",
                "Start it with 'kubectl ksync watch' (or --daemon), or give its --port.");
        }

        var request = new ReloadRequest { All = all };
        request.Names.AddRange(names);
        ReloadResponse response;
        try
        {
            response = await status.ReloadAsync(request, TimeSpan.FromMinutes(2), cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            throw new KsyncException(ex.Status.Detail, "kubectl ksync get lists the specs.");
        }

        if (response.Results.Count == 0)
        {
            await context.Out.WriteLineAsync("No running containers to reload.");
            return ExitCodes.Success;
        }

        var table = new TableWriter("spec", "pod", "container", "outcome", "detail");
        foreach (var result in response.Results)
        {
            table.AddRow(result.SpecName, result.RemoteContainer.PodName, result.RemoteContainer.ContainerName, result.Outcome, result.Message);
        }

        await context.Out.WriteAsync(table.Render());
        return response.Results.Any(r => r.Outcome == "failed") ? ExitCodes.Failure : ExitCodes.Success;
    }
}
