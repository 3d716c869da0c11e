namespace KSync.Plugin.Completion;

/// <summary>
/// What the shell should do besides offering the printed candidates: Cobra's <c>ShellCompDirective</c> bit flags, which
/// kubectl (≥ 1.26, <c>plugin_completion.go</c>) reads from the last output line <c>:&lt;int&gt;</c> of a plugin's
/// <c>kubectl_complete-&lt;name&gt;</c> and hands to its shell scripts. Values are Cobra's (spf13/cobra
/// <c>completions.go</c>).
/// </summary>
[Flags]
internal enum ShellCompDirective
{
    /// <summary>Offer the candidates; with none, fall back to file names.</summary>
    Default = 0,

    /// <summary>Completion failed; the shell offers nothing.</summary>
    Error = 1,

    /// <summary>Do not add a space after the completed word (e.g. after <c>--flag=</c>).</summary>
    NoSpace = 2,

    /// <summary>Never fall back to file names, even when there is no candidate.</summary>
    NoFileComp = 4,

    /// <summary>The candidates are file extensions to filter file names by.</summary>
    FilterFileExt = 8,

    /// <summary>Complete directory names only (the candidates, if any, name a folder to start from).</summary>
    FilterDirs = 16,

    /// <summary>Keep the candidates in the printed order instead of sorting them.</summary>
    KeepOrder = 32,
}
