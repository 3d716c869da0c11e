namespace KSync.Config.Sources;

/// <summary>The two files specs come from.</summary>
public enum SpecSourceKind
{
    /// <summary>The user's own <c>~/.ksync/ksync.yaml</c>: local paths are absolute.</summary>
    User,

    /// <summary>The project's spec file (<see cref="ProjectFile"/>): local paths are relative to its folder.</summary>
    Project,
}
