namespace KSync.Config.Sources;

/// <summary>Where a spec comes from: the user's own ksync.yaml, or the project's spec file kept in a repository.</summary>
/// <param name="Kind">User or project.</param>
/// <param name="Path">The file, absolute (for a project file reached through a link: the real file).</param>
public sealed record SpecSource(SpecSourceKind Kind, string Path);
