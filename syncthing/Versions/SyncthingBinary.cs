namespace KSync.Syncthing.Versions;

/// <summary>A syncthing executable ksync will run, with its version and what that version accepts.</summary>
/// <param name="Path">Absolute path of the executable.</param>
/// <param name="Version">Version reported by <c>syncthing --version</c>.</param>
/// <param name="Capabilities">Flags, environment and setting ranges of that version.</param>
public sealed record SyncthingBinary(string Path, SyncthingVersion Version, SyncthingCapabilities Capabilities);
