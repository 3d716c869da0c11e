namespace KSync.Plugin.Completion;

/// <summary>One completion candidate: the word to insert and an optional one-line description.</summary>
/// <param name="Value">The word, e.g. <c>delete</c>, <c>--namespace</c> or a spec name.</param>
/// <param name="Description">What it is; shells that show descriptions (zsh, fish) print it beside the word.</param>
internal sealed record CompletionCandidate(string Value, string? Description = null)
{
    /// <summary>
    /// The output line in Cobra's format: <c>value</c>, or <c>value&lt;TAB&gt;description</c> (first line of the
    /// description, tabs replaced), as kubectl passes plugin candidates through.
    /// </summary>
    /// <returns>The line without a newline.</returns>
    public string ToLine()
    {
        if (string.IsNullOrWhiteSpace(Description))
        {
            return Value;
        }

        var firstLine = Description.Split('\n', 2)[0].Replace('\t', ' ').Trim();
        return $"{Value}\t{firstLine}";
    }
}
