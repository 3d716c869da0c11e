namespace KSync.Syncthing.Verify;

/// <summary>One entry of a folder walk (<see cref="FolderWalker"/>), on either side of a sync.</summary>
/// <param name="Path">Relative to the folder root, <c>/</c> separators, no leading <c>/</c>.</param>
/// <param name="Kind">File, directory or symlink.</param>
/// <param name="Size">Bytes, for files; 0 otherwise.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content, for files; empty otherwise.</param>
/// <param name="LinkTarget">The link's target as stored (not resolved), for symlinks; empty otherwise.</param>
public sealed record FolderEntry(string Path, FolderEntryKind Kind, long Size, string Sha256, string LinkTarget);
