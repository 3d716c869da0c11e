namespace KSync.Syncthing.Ignores;

/// <summary>
/// The local folder's <c>.stignore</c> as ksync shares it with the user: the user's lines stay first and untouched
/// (syncthing applies the FIRST matching pattern, so the user's lines win), and ksync's generated patterns (<c>.git</c>,
/// translated <c>.gitignore</c>, extra patterns) follow in one block between marker comments, which ksync rewrites
/// and removes again on teardown (deleting the file when ksync had created it and nothing else is left).
/// </summary>
internal static class StignoreFile
{
    /// <summary>The file name syncthing reads at the folder root.</summary>
    public const string FileName = ".stignore";

    /// <summary>First line of ksync's block.</summary>
    public const string BeginMarker = "// ksync: generated patterns below (from .gitignore and the spec); ksync rewrites this block and removes it when it stops";

    /// <summary>Last line of ksync's block.</summary>
    public const string EndMarker = "// ksync: end of generated patterns";

    /// <summary>Returns the user's lines of a <c>.stignore</c>: everything outside ksync's block.</summary>
    /// <param name="content">The file's text, or null when there is no file.</param>
    /// <returns>The user's lines.</returns>
    public static IReadOnlyList<string> UserLines(string? content)
    {
        var lines = new List<string>();
        var inBlock = false;
        foreach (var line in (content ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line == BeginMarker)
            {
                inBlock = true;
            }
            else if (line == EndMarker)
            {
                inBlock = false;
            }
            else if (!inBlock)
            {
                lines.Add(line);
            }
        }

        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>Composes the file: the user's lines, then ksync's block (omitted when <paramref name="generated"/> is empty).</summary>
    /// <param name="existing">The current file's text, or null when there is none.</param>
    /// <param name="generated">ksync's patterns.</param>
    /// <returns>The new text (ends with a line break), or null when nothing is left to write.</returns>
    public static string? Compose(string? existing, IReadOnlyList<string> generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var lines = new List<string>(UserLines(existing));
        if (generated.Count > 0)
        {
            lines.Add(BeginMarker);
            lines.AddRange(generated);
            lines.Add(EndMarker);
        }

        return lines.Count == 0 ? null : string.Join('\n', lines) + "\n";
    }

    /// <summary>Generates ksync's patterns for a folder.</summary>
    /// <param name="settings">What to ignore.</param>
    /// <param name="gitignoreContent">The root <c>.gitignore</c>'s text, or null when there is none.</param>
    /// <returns>The patterns, in the order they are written.</returns>
    public static IReadOnlyList<string> Generate(IgnoreSettings settings, string? gitignoreContent)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var patterns = new List<string>();
        if (settings.IgnoreGitDirectory)
        {
            patterns.Add(".git");
        }

        patterns.AddRange(settings.ExtraPatterns);
        if (settings.UseGitignore && gitignoreContent is not null)
        {
            patterns.AddRange(GitignoreTranslator.Translate(gitignoreContent.Split('\n')));
        }

        return patterns;
    }
}
