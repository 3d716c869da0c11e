namespace KSync.Plugin.Completion;

/// <summary>The answer to a completion request: candidates in order, and the directive for the shell.</summary>
/// <param name="Candidates">Candidates, already filtered by the word being completed.</param>
/// <param name="Directive">What the shell should do besides offering them.</param>
internal sealed record CompletionResult(IReadOnlyList<CompletionCandidate> Candidates, ShellCompDirective Directive)
{
    /// <summary>
    /// Writes the kubectl plugin completion protocol (Cobra's <c>__complete</c> output): one candidate per line, then
    /// <c>:&lt;directive&gt;</c> on the last line.
    /// </summary>
    /// <param name="writer">Where to write (stdout).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when everything is written.</returns>
    public async Task WriteAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var candidate in Candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteAsync(candidate.ToLine() + "\n");
        }

        await writer.WriteAsync($":{(int)Directive}\n");
        await writer.FlushAsync(cancellationToken);
    }
}
