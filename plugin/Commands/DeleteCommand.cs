using System.CommandLine;
using KSync.Config.Sources;
using KSync.Config.Store;
using KSync.Config.Validation;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync delete NAME...</c> / <c>--all</c>: removes specs from ksync.yaml. Works from the config file
/// alone (watch need not run; a running watch stops those syncs by itself). Deletes nothing when any name is unknown.
/// </summary>
internal sealed class DeleteCommand : Command
{
    private readonly KsyncRootCommand _root;
    private readonly Argument<string[]> _names = new("name") { Description = "Names of the specs to delete", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<bool> _all = new("--all") { Description = "Delete every spec" };

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context.</param>
    public DeleteCommand(KsyncRootCommand root)
        : base("delete", "Delete specs from the config (stops their syncs when watch runs)")
    {
        _root = root;
        Aliases.Add("d");
        _names.Validators.Add(NameArguments.RejectOptionLikeTokens);
        Arguments.Add(_names);
        Options.Add(_all);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var names = parseResult.GetValue(_names) ?? [];
        var all = parseResult.GetValue(_all);
        if (all == (names.Length > 0))
        {
            throw all
                ? new KsyncException("Give spec names or --all, not both.", "kubectl ksync delete NAME... or kubectl ksync delete --all")
                : new KsyncException("No spec to delete.", "Name the specs (kubectl ksync get lists them), or pass --all.");
        }

        var store = new ConfigStore(_root.Context.Home.ConfigFile);
        if (!File.Exists(store.Path) && all)
        {
            await _root.Context.Out.WriteLineAsync("No specs to delete.");
            return ExitCodes.Success;
        }

        var context = _root.Context;
        var project = ProjectFile.Locate(context.Home, context.Environment, context.WorkingDirectory);
        var projectConfig = project is null || all ? null : await new ConfigStore(project.Path).LoadAsync(cancellationToken);
        var deleted = await store.UpdateAsync(
            config =>
            {
                var unknown = names.Distinct(StringComparer.Ordinal).Where(n => config.Find(n) is null).ToList();
                if (unknown.Count > 0)
                {
                    throw new ValidationException([.. unknown.Select(n => projectConfig?.Find(n) is not null
                        ? new ValidationProblem(
                            $"Spec '{n}' comes from the project's spec file {project!.Path}; nothing was deleted.",
                            "delete removes your own specs only: remove it from that file (and commit the change).")
                        : new ValidationProblem(
                            $"No spec named '{n}'; nothing was deleted.",
                            "kubectl ksync get lists the specs."))]);
                }

                var doomed = all ? config.Spec.Select(s => s.Name).ToList() : [.. names.Distinct(StringComparer.Ordinal)];
                config.Spec.RemoveAll(s => doomed.Contains(s.Name));
                return doomed;
            },
            cancellationToken);

        foreach (var name in deleted)
        {
            await _root.Context.Out.WriteLineAsync($"Deleted spec {name}");
        }

        if (deleted.Count == 0)
        {
            await _root.Context.Out.WriteLineAsync("No specs to delete.");
        }

        return ExitCodes.Success;
    }
}
