using KSync.Engine.Status;

namespace KSync.Engine.FolderEvents;

/// <summary>What <see cref="FolderMachine"/> decided the Folder does now. The closed set of the machine's outputs.</summary>
public abstract record FolderDecision
{
    /// <summary>Creates the decision; only the nested records derive from this type, so the set stays closed.</summary>
    private protected FolderDecision()
    {
    }

    /// <summary>Show this status in <c>get</c>.</summary>
    /// <param name="Status">The status.</param>
    public sealed record SetStatus(ServiceStatus Status) : FolderDecision;

    /// <summary>Show reconnecting in <c>get</c>, with since when and why.</summary>
    /// <param name="Since">When the link broke.</param>
    /// <param name="Reason">Why it is not back yet.</param>
    public sealed record ShowReconnecting(DateTimeOffset Since, string Reason) : FolderDecision;

    /// <summary>Record when a change last landed on either side.</summary>
    /// <param name="When">When it landed.</param>
    public sealed record SetLastSync(DateTimeOffset When) : FolderDecision;

    /// <summary>Apply the folder's config and ignores on both syncthings again (the local one restarted).</summary>
    public sealed record ReapplyConfig : FolderDecision;

    /// <summary>Rescan the node side's folder; answer with <see cref="FolderInput.RescanFinished"/>.</summary>
    public sealed record RescanNode : FolderDecision;

    /// <summary>Reload the container in the spec's reload mode; answer with <see cref="FolderInput.ReloadFinished"/>.</summary>
    /// <param name="Manual">True when the user asked for it (a spec without reload then restarts).</param>
    public sealed record Reload(bool Manual) : FolderDecision;

    /// <summary>A local change landed in the container, so a reload is due at <paramref name="At"/> (for the log).</summary>
    /// <param name="At">When the reload is due, if nothing else lands before.</param>
    /// <param name="Action">What the node did with the item.</param>
    /// <param name="Item">The item's path.</param>
    public sealed record ReloadDue(DateTimeOffset At, string? Action, string? Item) : FolderDecision;
}
