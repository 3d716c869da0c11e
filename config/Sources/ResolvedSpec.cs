using KSync.Config.Model;
namespace KSync.Config.Sources;

/// <summary>A spec as watch runs it: its details with an absolute local path, and the file it comes from.</summary>
/// <param name="Details">The details; <see cref="SpecDetails.LocalPath"/> is absolute.</param>
/// <param name="Source">The file it comes from.</param>
public sealed record ResolvedSpec(SpecDetails Details, SpecSource Source);
