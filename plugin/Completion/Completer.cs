using System.CommandLine;
using System.CommandLine.Completions;
using KSync.Plugin.Commands;

namespace KSync.Plugin.Completion;

/// <summary>
/// Completes a <c>kubectl ksync</c> command line for the shell (kubectl plugin completion, kubectl ≥ 1.26). Walks the
/// command tree with the words before the one being completed — subcommands by name or alias, options with their
/// values (<c>--flag value</c>, <c>--flag=value</c>, <c>-fvalue</c>), positionals — and then offers: option names when
/// the word starts with <c>-</c>; values for an option waiting for one (contexts for <c>--context</c>, namespaces for
/// <c>-n</c>, pods for <c>--pod</c>, the allowed values of options that restrict them, file names for
/// <c>--kubeconfig</c>); otherwise subcommands and the current command's positional values (spec names for
/// <see cref="SpecNameCommands"/>, folders for <c>create</c>'s LOCAL). Hidden commands and options are never offered.
/// </summary>
/// <param name="root">The command tree.</param>
/// <param name="values">Where dynamic values come from.</param>
internal sealed partial class Completer(KsyncRootCommand root, CompletionValues values)
{
    /// <summary>
    /// Commands whose positional arguments are spec names, matched by name so a command added later (reload) is
    /// completed without changes here.
    /// </summary>
    public static readonly IReadOnlySet<string> SpecNameCommands = new HashSet<string>(StringComparer.Ordinal) { "delete", "get", "reload", "wait" };

    /// <summary>Completes the last of <paramref name="words"/> (empty when a new word is started).</summary>
    /// <param name="words">The arguments after <c>kubectl ksync</c>, the last one being completed.</param>
    /// <param name="cancellationToken">Cancels lookups.</param>
    /// <returns>Candidates that start with the last word, and the directive.</returns>
    public async Task<CompletionResult> CompleteAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(words);
        var toComplete = words.Count == 0 ? string.Empty : words[^1];
        var line = Walk(words.Count == 0 ? [] : words.Take(words.Count - 1));

        if (line.PendingOption is { } pending)
        {
            return await OptionValuesAsync(line, pending, toComplete, prefix: string.Empty, cancellationToken);
        }

        if (!line.AfterDoubleDash && toComplete.StartsWith('-'))
        {
            var equals = toComplete.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && FindOption(line.Command, toComplete[..equals]) is { } withValue && TakesValue(withValue))
            {
                return await OptionValuesAsync(line, withValue, toComplete[(equals + 1)..], prefix: toComplete[..(equals + 1)], cancellationToken);
            }

            return new CompletionResult(Filter(OptionNames(line.Command), toComplete), ShellCompDirective.NoFileComp);
        }

        var candidates = new List<CompletionCandidate>();
        if (line.Positionals.Count == 0)
        {
            candidates.AddRange(line.Command.Subcommands.Where(c => !c.Hidden).Select(c => new CompletionCandidate(c.Name, c.Description)));
        }

        var directive = ShellCompDirective.NoFileComp;
        if (SpecNameCommands.Contains(line.Command.Name))
        {
            var names = await values.SpecNamesAsync(cancellationToken);
            candidates.AddRange(names.Except(line.Positionals, StringComparer.Ordinal).Select(n => new CompletionCandidate(n, "spec")));
        }
        else if (line.Command.Name == "create" && line.Positionals.Count == 0)
        {
            // create LOCAL: a folder on this machine; the shell lists folders.
            directive = ShellCompDirective.FilterDirs;
        }

        return new CompletionResult(Filter(candidates, toComplete), directive);
    }

    private static IReadOnlyList<CompletionCandidate> Filter(IEnumerable<CompletionCandidate> candidates, string toComplete)
        => [.. candidates.Where(c => c.Value.StartsWith(toComplete, StringComparison.Ordinal)).DistinctBy(c => c.Value)];

    private static bool TakesValue(Option option)
        => option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool);

    private static IEnumerable<Option> OptionsInScope(Command command)
    {
        foreach (var option in command.Options)
        {
            yield return option;
        }

        for (var parent = ParentOf(command); parent is not null; parent = ParentOf(parent))
        {
            foreach (var option in parent.Options.Where(o => o.Recursive))
            {
                yield return option;
            }
        }
    }

    private static Command? ParentOf(Command command) => command.Parents.OfType<Command>().FirstOrDefault();

    private static Option? FindOption(Command command, string token)
        => OptionsInScope(command).FirstOrDefault(o => o.Name == token || o.Aliases.Contains(token));

    private static IEnumerable<CompletionCandidate> OptionNames(Command command)
        => OptionsInScope(command)
            .Where(o => !o.Hidden)
            .SelectMany(o => new[] { o.Name }.Concat(o.Aliases.Order(StringComparer.Ordinal)).Select(name => new CompletionCandidate(name, o.Description)))
            .Where(c => c.Value.StartsWith('-') && c.Value != "-?");

    private async Task<CompletionResult> OptionValuesAsync(CommandLine line, Option option, string toComplete, string prefix, CancellationToken cancellationToken)
    {
        var settings = Settings(line);
        IReadOnlyList<string> found;
        if (option == root.Global.Kubeconfig)
        {
            // A file on this machine: let the shell complete file names.
            return new CompletionResult([], ShellCompDirective.Default);
        }
        else if (option == root.Global.Context)
        {
            found = values.Contexts(settings);
        }
        else if (option == root.Global.Namespace)
        {
            found = await values.NamespacesAsync(settings, cancellationToken);
        }
        else if (option.Name == "--pod")
        {
            found = await values.PodsAsync(settings, cancellationToken);
        }
        else
        {
            // Options that restrict their values (AcceptOnlyFromAmong) list them as completion sources.
            found = [.. option.GetCompletions(CompletionContext.Empty).Select(c => c.Label)];
        }

        var candidates = Filter(found.Select(v => new CompletionCandidate(prefix + v)), prefix + toComplete);
        return new CompletionResult(candidates, ShellCompDirective.NoFileComp);
    }

    private GlobalSettings Settings(CommandLine line)
    {
        string? Value(Option<string?> option)
            => line.OptionValues.TryGetValue(option, out var value) && value.Length > 0
                ? value
                : values.Environment(GlobalOptions.EnvironmentVariableFor(option)) is { Length: > 0 } fromEnv ? fromEnv : null;

        return new GlobalSettings(Value(root.Global.Kubeconfig), Value(root.Global.Context), Value(root.Global.Namespace), LogLevel: null, Port: null);
    }
}
