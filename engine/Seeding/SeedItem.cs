namespace KSync.Engine.Seeding;

/// <summary>One entry of the local folder as the seed sends it.</summary>
/// <param name="Path">Relative to the folder, <c>/</c>-separated.</param>
/// <param name="Kind">File, directory or symlink.</param>
/// <param name="Mode">Permission bits (0-0777).</param>
/// <param name="Size">A file's size in bytes; 0 otherwise.</param>
/// <param name="MtimeSeconds">Modification time, seconds since the Unix epoch.</param>
/// <param name="MtimeNanos">Its nanoseconds, which syncthing compares too.</param>
/// <param name="LinkTarget">A symlink's target, else null.</param>
public sealed record SeedItem(string Path, SeedKind Kind, UnixFileMode Mode, long Size, long MtimeSeconds, uint MtimeNanos, string? LinkTarget);
