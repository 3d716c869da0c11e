namespace KSync.Plugin.Config;

/// <summary>A spec as watch runs it: its details with an absolute local path, and the file it comes from.</summary>
/// <param name="Details">The details; <see cref="SpecDetails.LocalPath"/> is absolute.</param>
/// <param name="Source">The file it comes from.</param>
internal sealed record ResolvedSpec(SpecDetails Details, SpecSource Source);
