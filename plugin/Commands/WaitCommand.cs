using System.CommandLine;
using Grpc.Core;
using KSync.Config.Store;
using KSync.Plugin.Errors;
using KSync.Plugin.Status;
using KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync wait [NAME...] [--timeout DURATION] [--verify]</c>: the sync barrier for scripts, CI and dev containers
/// (docs/architecture.md, "The sync barrier"). Asks the running watch; exits 0 once every container of the named specs
/// (every spec when none is named) is watching and holds every local change saved before the call; otherwise, at the
/// timeout, exits 1 naming each container (or spec without one) that is not there and why. With <c>--verify</c>, once
/// all are there, watch also compares content hashes of both folders (docs/architecture.md, "Verifying content"); any
/// differing path, or a folder that could not be compared, exits 1 naming spec, container, path and what differs. Unknown names, a bad
/// timeout and no running watch are errors (exit 1) before anything is asked.
/// </summary>
internal sealed class WaitCommand : Command
{
    /// <summary>How long to wait when <c>--timeout</c> is not given: 2 minutes (a first sync of a large folder may need it).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private readonly KsyncRootCommand _root;
    private readonly Argument<string[]> _names = new("name") { Description = "Specs to wait for (default: every spec)", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _timeout = new("--timeout")
    {
        Description = $"How long to wait, e.g. 30s, 5m (default {DefaultTimeout.TotalMinutes:0}m, at most {KsyncStatusService.MaxWait.TotalMinutes:0}m)",
        HelpName = "duration",
    };

    private readonly Option<bool> _verify = new("--verify")
    {
        Description = "Once every container holds the local changes, also compare content hashes of both sides and list differing files",
    };

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public WaitCommand(KsyncRootCommand root)
        : base("wait", "Wait until every container of the named specs holds every local change saved before the call")
    {
        _root = root;
        _names.Validators.Add(NameArguments.RejectOptionLikeTokens);
        _timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is string text && (!Durations.TryParse(text, out var value) || value > KsyncStatusService.MaxWait))
            {
                result.AddError($"--timeout must be a positive duration of at most {KsyncStatusService.MaxWait.TotalMinutes:0}m such as 30s or 5m, got '{text}'.");
            }
        });
        Arguments.Add(_names);
        Options.Add(_timeout);
        Options.Add(_verify);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var context = _root.Context;
        var names = parseResult.GetValue(_names) ?? [];
        var timeout = Durations.TryParse(parseResult.GetValue(_timeout), out var given) ? given : DefaultTimeout;
        var settings = _root.Global.Resolve(parseResult);
        var port = settings.Port ?? (await new ConfigStore(context.Home.ConfigFile).LoadAsync(cancellationToken)).Port ?? GlobalOptions.DefaultStatusPort;
        using var status = new StatusClient(port);
        if (await status.TryIsAliveAsync(GetCommand.WatchProbeTimeout, cancellationToken) is null)
        {
            throw new KsyncException(
                $"wait asks the running watch, and none answers on 127.0.0.1:{port}.",
                "Start it with 'kubectl ksync watch --daemon' (or give its --port), then wait.");
        }

        var verify = parseResult.GetValue(_verify);
        var request = new WaitRequest { TimeoutMs = (long)timeout.TotalMilliseconds, Verify = verify };
        request.Names.AddRange(names);
        WaitResponse response;
        try
        {
            response = await status.WaitAsync(request, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            throw new KsyncException(ex.Status.Detail, "kubectl ksync get lists the specs.");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled)
        {
            throw new KsyncException($"watch stopped answering while waiting ({ex.Status.Detail}).", "Check 'kubectl ksync get' and ~/.ksync/daemon.log.");
        }

        if (response.Results.Count == 0)
        {
            await context.Out.WriteLineAsync("No specs to wait for.");
            return ExitCodes.Success;
        }

        foreach (var result in response.Results.Where(r => r.Ready))
        {
            await context.Out.WriteLineAsync($"{Describe(result)}: holds every local change");
        }

        var missing = response.Results.Where(r => !r.Ready).ToList();
        foreach (var result in missing)
        {
            await context.Error.WriteLineAsync($"Error: {Describe(result)} is not there after {timeout.TotalSeconds:0} s: {result.Reason}");
        }

        var unverified = 0;
        if (verify && missing.Count == 0)
        {
            foreach (var result in response.Results.Where(r => r.RemoteContainer is not null))
            {
                if (result.VerifyError.Length > 0)
                {
                    unverified++;
                    await context.Error.WriteLineAsync($"Error: {Describe(result)}: could not verify: {result.VerifyError}");
                }
                else if (result.Differences.Count > 0)
                {
                    unverified++;
                    await context.Error.WriteLineAsync($"Error: {Describe(result)}: {result.Differences.Count} path(s) differ from the local folder:");
                    foreach (var difference in result.Differences)
                    {
                        await context.Error.WriteLineAsync($"  {difference.Path}: {difference.Kind} ({difference.Detail})");
                    }
                }
                else
                {
                    await context.Out.WriteLineAsync($"{Describe(result)}: same content as the local folder");
                }
            }
        }

        return missing.Count == 0 && unverified == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Describe(WaitResult result)
        => result.RemoteContainer is { } container
            ? $"spec {result.SpecName}, pod {container.Namespace}/{container.PodName} container {container.ContainerName}"
            : $"spec {result.SpecName}";
}
