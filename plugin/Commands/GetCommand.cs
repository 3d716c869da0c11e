using System.CommandLine;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Plugin.Errors;
using KSync.Plugin.Output;
using KSync.Plugin.Status;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync get [NAME...]</c>: the status of every spec and synced container, and which file each spec comes
/// from. Asks the running watch; when none answers, lists the specs of ksync.yaml and of the project's spec file with
/// status <c>not watching</c> and says how to start watch.
/// Names filter by substring, as the original did. A name that matches no spec is an error naming it, after the specs
/// that were found are shown, and the exit code is 1 (kubectl's convention for a named object that is not found);
/// a list without names exits 0 even when it is empty.
/// </summary>
internal sealed class GetCommand : Command
{
    /// <summary>
    /// How long <c>get</c> waits for a watch to answer before treating it as not running: 5 s. When nothing listens
    /// the connection is refused at once, so this only bounds a watch that is alive but slow (busy, just started).
    /// </summary>
    public static readonly TimeSpan WatchProbeTimeout = TimeSpan.FromSeconds(5);

    private const string NoSpecs = "No specs. Add one with 'kubectl ksync create LOCAL REMOTE -l app=NAME'.";

    private readonly KsyncRootCommand _root;
    private readonly Argument<string[]> _names = new("name") { Description = "Show only specs whose name contains one of these", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string> _output = new("--output", "-o") { Description = "Output format: json, yaml or wide (default: a table)", HelpName = "format" };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print spec names only" };
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "After listing, follow changes (needs watch running)" };

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public GetCommand(KsyncRootCommand root)
        : base("get", "Show the status of every spec and the containers it syncs")
    {
        _root = root;
        _output.AcceptOnlyFromAmong("json", "yaml", "wide");
        _names.Validators.Add(NameArguments.RejectOptionLikeTokens);
        Arguments.Add(_names);
        Options.Add(_output);
        Options.Add(_quiet);
        Options.Add(_watch);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var context = _root.Context;
        var settings = _root.Global.Resolve(parseResult);
        var names = parseResult.GetValue(_names) ?? [];
        var format = parseResult.GetValue(_output) switch
        {
            "json" => OutputFormat.Json,
            "yaml" => OutputFormat.Yaml,
            "wide" => OutputFormat.Wide,
            _ => OutputFormat.Table,
        };
        var quiet = parseResult.GetValue(_quiet);
        var store = new ConfigStore(context.Home.ConfigFile);
        var port = settings.Port ?? (await store.LoadAsync(cancellationToken)).Port ?? GlobalOptions.DefaultStatusPort;

        using var status = new StatusClient(port);
        var alive = await status.TryIsAliveAsync(WatchProbeTimeout, cancellationToken);
        if (alive is null)
        {
            if (parseResult.GetValue(_watch))
            {
                throw new KsyncException(
                    $"get -w follows a running watch, and none answers on 127.0.0.1:{port}.",
                    "Start it with 'kubectl ksync watch' (or 'kubectl ksync watch --daemon'), or give its --port.");
            }

            var project = ProjectFile.Locate(context.Home, context.Environment, context.WorkingDirectory);
            var resolved = await SpecFiles.LoadAsync(store, project, cancellationToken);
            var view = StatusMapper.FromConfig(resolved.Specs.Where(s => Matches(s.Details.Name, names)));
            var missing = NameArguments.Unmatched(names, view.Items.Select(s => s.Name));
            if (view.Items.Count > 0 || missing.Count == 0)
            {
                await WriteAsync(view, format, quiet, cancellationToken);
            }

            if (!quiet && (view.Items.Count > 0 || missing.Count == 0) && format is OutputFormat.Table or OutputFormat.Wide)
            {
                foreach (var problem in resolved.Problems)
                {
                    await context.Error.WriteLineAsync($"Warning: {problem}");
                }

                await context.Error.WriteLineAsync(view.Items.Count == 0 ? NoSpecs : "watch is not running, so nothing is syncing. Start it with 'kubectl ksync watch'.");
            }

            return await ReportMissingAsync(missing);
        }

        var list = await status.GetSpecListAsync(names, TimeSpan.FromSeconds(5), cancellationToken);
        var unmatched = NameArguments.Unmatched(names, list.Items.Select(s => s.Details.Name));
        if (list.Items.Count > 0 || unmatched.Count == 0)
        {
            await WriteAsync(StatusMapper.FromStatus(list), format, quiet, cancellationToken);
        }

        if (list.Items.Count == 0 && names.Length == 0 && !quiet && format is OutputFormat.Table or OutputFormat.Wide)
        {
            // The same words with or without a watch: an empty table alone looks like a hang or a bug.
            await context.Error.WriteLineAsync(NoSpecs);
        }

        if (unmatched.Count > 0)
        {
            // Like kubectl get -w with a name that is not found: the error, and nothing to follow.
            return await ReportMissingAsync(unmatched);
        }

        if (parseResult.GetValue(_watch))
        {
            var last = SpecTable.Render(StatusMapper.FromStatus(list), format == OutputFormat.Wide);
            await foreach (var update in status.WatchSpecListAsync(names, cancellationToken))
            {
                var rendered = SpecTable.Render(StatusMapper.FromStatus(update), format == OutputFormat.Wide);
                if (rendered != last)
                {
                    await WriteChangedRowsAsync(last, rendered);
                    last = rendered;
                }
            }
        }

        return ExitCodes.Success;
    }

    private static bool Matches(string name, string[] filters) => filters.Length == 0 || filters.Any(f => name.Contains(f, StringComparison.Ordinal));

    private async Task<int> ReportMissingAsync(IReadOnlyList<string> missing)
    {
        // One line per name, as kubectl prints one NotFound error per missing object; stdout keeps what was found.
        foreach (var name in missing)
        {
            await _root.Context.Error.WriteLineAsync($"Error: no spec named '{name}' (names match by substring; 'kubectl ksync get' lists every spec).");
        }

        return missing.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private async Task WriteAsync(SpecListView view, OutputFormat format, bool quiet, CancellationToken cancellationToken)
    {
        var output = _root.Context.Out;
        if (quiet)
        {
            foreach (var name in view.Items.Select(s => s.Name))
            {
                await output.WriteLineAsync(name);
            }

            return;
        }

        var text = format switch
        {
            OutputFormat.Json => ViewWriter.Json(view),
            OutputFormat.Yaml => ViewWriter.Yaml(view),
            _ => view.Items.Count == 0 ? string.Empty : SpecTable.Render(view, format == OutputFormat.Wide),
        };
        await output.WriteAsync(text.AsMemory(), cancellationToken);
        if (format is OutputFormat.Table or OutputFormat.Wide)
        {
            // On stderr, so the table stays parseable; -o json/yaml carry each service's warning instead.
            foreach (var warning in SpecTable.Warnings(view))
            {
                await _root.Context.Error.WriteLineAsync(warning);
            }
        }
    }

    private async Task WriteChangedRowsAsync(string before, string after)
    {
        // Like kubectl get -w: print only rows that changed (the header was printed with the first listing).
        var old = before.Split('\n').Skip(1).ToHashSet(StringComparer.Ordinal);
        foreach (var row in after.Split('\n').Skip(1).Where(r => r.Length > 0 && !old.Contains(r)))
        {
            await _root.Context.Out.WriteLineAsync(row);
        }
    }
}
