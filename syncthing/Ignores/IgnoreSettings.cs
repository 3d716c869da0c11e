namespace KSync.Syncthing.Ignores;

/// <summary>What a synced folder ignores besides the user's own <c>.stignore</c>.</summary>
public sealed record IgnoreSettings
{
    /// <summary>Gets a value indicating whether the <c>.gitignore</c> at the folder root is translated and applied; default true.</summary>
    public bool UseGitignore { get; init; } = true;

    /// <summary>Gets a value indicating whether <c>.git</c> (at any depth) is ignored; default true, the spec may turn it off.</summary>
    public bool IgnoreGitDirectory { get; init; } = true;

    /// <summary>Gets more syncthing ignore patterns to apply (syncthing docs "Ignoring Files" syntax).</summary>
    public IReadOnlyList<string> ExtraPatterns { get; init; } = [];
}
