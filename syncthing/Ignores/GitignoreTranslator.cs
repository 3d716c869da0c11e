namespace KSync.Syncthing.Ignores;

/// <summary>
/// Translates the lines of a folder-root <c>.gitignore</c> (git docs "gitignore", PATTERN FORMAT) into syncthing ignore
/// patterns (syncthing docs "Ignoring Files"). The mapping:
/// <list type="bullet">
/// <item>Blank lines and <c>#</c> comments are dropped; trailing spaces are trimmed unless escaped (<c>\ </c>).</item>
/// <item><c>\#x</c> becomes <c>#x</c> (a literal <c>#</c>); a line that would turn into syncthing's <c>#include</c> directive is dropped.</item>
/// <item><c>!x</c> (re-include) stays <c>!x</c>; git lets the LAST matching line win and syncthing the FIRST, so the
/// translated lines are emitted in reverse order, which keeps the outcome.</item>
/// <item>A trailing <c>/</c> (git: directories only) is dropped: syncthing has no directory-only patterns, so a file of
/// that name is ignored too.</item>
/// <item>A pattern with a <c>/</c> at its start or middle is relative to the folder root in git; it gets a leading
/// <c>/</c>, syncthing's root anchor (<c>doc/*.txt</c> → <c>/doc/*.txt</c>). Patterns with no inner <c>/</c> match at
/// any depth in both. A leading <c>**/</c> stays as it is (any depth in both).</item>
/// <item><c>*</c>, <c>?</c>, <c>**</c> and <c>[a-z]</c> mean the same in both; git's negated class <c>[^a]</c> becomes
/// syncthing's <c>[!a]</c>.</item>
/// </list>
/// Not carried over: <c>.gitignore</c> files below the root, and git's rule that a file cannot be re-included when a
/// parent directory is excluded (syncthing can re-include it).
/// </summary>
internal static class GitignoreTranslator
{
    /// <summary>Translates <paramref name="gitignoreLines"/> into syncthing patterns, in syncthing's first-match order.</summary>
    /// <param name="gitignoreLines">Lines of the root <c>.gitignore</c>.</param>
    /// <returns>The syncthing patterns.</returns>
    public static IReadOnlyList<string> Translate(IEnumerable<string> gitignoreLines)
    {
        ArgumentNullException.ThrowIfNull(gitignoreLines);
        var patterns = new List<string>();
        foreach (var raw in gitignoreLines)
        {
            if (TranslateLine(raw) is { } pattern)
            {
                patterns.Add(pattern);
            }
        }

        patterns.Reverse();
        return patterns;
    }

    /// <summary>Translates one line.</summary>
    /// <param name="line">A <c>.gitignore</c> line.</param>
    /// <returns>The syncthing pattern, or null when the line has none (blank, comment, unsupported).</returns>
    public static string? TranslateLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = TrimTrailingSpaces(line.TrimEnd('\r'));
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        var negate = false;
        if (text[0] == '!')
        {
            negate = true;
            text = text[1..];
        }
        else if (text.StartsWith("\\#", StringComparison.Ordinal))
        {
            text = text[1..];
        }

        var trailingSlash = text.EndsWith('/') && !text.EndsWith("\\/", StringComparison.Ordinal);
        if (trailingSlash)
        {
            text = text.TrimEnd('/');
        }

        if (text.Length == 0)
        {
            return null;
        }

        var anchored = text.StartsWith('/') || (text.Contains('/', StringComparison.Ordinal) && !text.StartsWith("**/", StringComparison.Ordinal));
        text = text.TrimStart('/');
        if (text.Length == 0)
        {
            return null;
        }

        text = text.Replace("[^", "[!", StringComparison.Ordinal);
        var pattern = (anchored ? "/" : string.Empty) + text;
        if (pattern.StartsWith("#include", StringComparison.Ordinal))
        {
            return null;
        }

        return negate ? "!" + pattern : pattern;
    }

    private static string TrimTrailingSpaces(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] == ' ' && !(end > 1 && line[end - 2] == '\\'))
        {
            end--;
        }

        var trimmed = line[..end];
        return trimmed.EndsWith("\\ ", StringComparison.Ordinal) ? trimmed[..^2] + " " : trimmed;
    }
}
