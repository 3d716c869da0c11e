namespace KSync.Radar.Ownership;

/// <summary>What <see cref="FolderPreparer"/> did (or, on a dry run, would do) for one synced folder.</summary>
/// <param name="Decision">The owner and why.</param>
/// <param name="Process">The container's main process.</param>
/// <param name="Created">Directories created (the folder and those above it that were missing), top first; on a dry run those that would be.</param>
/// <param name="ChownError">Why the node could not give the folder its owner (errno's text), or null when it could.</param>
/// <param name="AppCanWrite">Whether the main process may create and remove entries in the folder afterwards.</param>
internal sealed record FolderPreparation(OwnerDecision Decision, ProcessIdentity Process, IReadOnlyList<string> Created, string? ChownError, bool AppCanWrite);
