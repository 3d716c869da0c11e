namespace KSync.Engine.Verify;

/// <summary>How one path differs between the local folder and the container's (<see cref="FolderComparison"/>).</summary>
public enum DifferenceKind
{
    /// <summary>Local has it, the container does not.</summary>
    MissingOnNode,

    /// <summary>The container has it, local does not.</summary>
    MissingLocally,

    /// <summary>Both have a file (or a link) of that name with different content (size, SHA-256 or link target).</summary>
    Content,

    /// <summary>Both have it, as different kinds (file, directory, symlink).</summary>
    Type,
}
