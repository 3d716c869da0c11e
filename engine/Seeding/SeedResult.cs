namespace KSync.Engine.Seeding;

/// <summary>What the node agent wrote.</summary>
/// <param name="Files">Files written.</param>
/// <param name="Directories">Directories created or given their mode.</param>
/// <param name="Symlinks">Links written.</param>
/// <param name="Bytes">Content bytes written.</param>
/// <param name="Skipped">Files left out (changed while read, or a directory stands there): syncthing brings them.</param>
public sealed record SeedResult(int Files, int Directories, int Symlinks, long Bytes, IReadOnlyList<string> Skipped);
