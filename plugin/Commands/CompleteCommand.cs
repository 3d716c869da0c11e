using System.CommandLine;
using KSync.Plugin.Completion;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl-ksync __complete -- WORD...</c>: the hidden command behind shell completion. kubectl (≥ 1.26) runs
/// <c>kubectl_complete-ksync</c> with the words after <c>kubectl ksync</c> (the last one being completed, empty for a new
/// word), and that script runs this command; it prints one candidate per line, then <c>:&lt;directive&gt;</c> (Cobra's
/// <c>__complete</c> protocol, which kubectl passes through). The <c>--</c> makes every word reach the completer
/// verbatim, options included. Always exits 0.
/// </summary>
internal sealed class CompleteCommand : Command
{
    /// <summary>The command's name, as Cobra-based tools name theirs.</summary>
    public const string CommandName = "__complete";

    private readonly Argument<string[]> _words = new("words") { Arity = ArgumentArity.ZeroOrMore };

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command: the tree to complete, and the context.</param>
    public CompleteCommand(KsyncRootCommand root)
        : base(CommandName, "Print shell completion candidates for a kubectl ksync command line")
    {
        Hidden = true;
        Arguments.Add(_words);
        SetAction(async (parseResult, cancellationToken) =>
        {
            var words = parseResult.GetValue(_words) ?? [];
            var completer = new Completer(root, new CompletionValues(root.Context));
            var result = await completer.CompleteAsync(words, cancellationToken);
            await result.WriteAsync(root.Context.Out, cancellationToken);
            return ExitCodes.Success;
        });
    }
}
