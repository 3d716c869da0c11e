namespace KSync.Engine.Identity;

/// <summary>The content of the state file: a format version and the syncs.</summary>
public sealed class StateDocument
{
    /// <summary>The format this version writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Gets or sets the format version (<see cref="CurrentVersion"/>).</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>Gets or sets the syncs, in the order they were first set up.</summary>
    public List<SyncRecord> Syncs { get; set; } = [];
}
