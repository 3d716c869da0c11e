namespace KSync.Syncthing.Verify;

/// <summary>What a folder entry is, as <see cref="FolderWalker"/> sees it without following links.</summary>
public enum FolderEntryKind
{
    /// <summary>A regular file (or another non-directory, non-link entry, which syncthing does not sync).</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link, never followed.</summary>
    Symlink,
}
