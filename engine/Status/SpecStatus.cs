namespace KSync.Engine.Status;

/// <summary>
/// Status of one Spec. Transitions: Waiting (no matching running container) ⇄ Active (one or more Services);
/// any → Error when the spec cannot run (invalid details, pod watch denied), back when fixed.
/// </summary>
public enum SpecStatus
{
    /// <summary>Set while no running container matches the spec; the reason says what is awaited.</summary>
    Waiting,

    /// <summary>Set while at least one container matches; each Service has its own status.</summary>
    Active,

    /// <summary>Set when the spec cannot run; the reason says why.</summary>
    Error,
}
