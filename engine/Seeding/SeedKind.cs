namespace KSync.Engine.Seeding;

/// <summary>What a seed carries: only these kinds (docs/architecture.md, "The seed").</summary>
public enum SeedKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link, written as a link.</summary>
    Symlink,
}
