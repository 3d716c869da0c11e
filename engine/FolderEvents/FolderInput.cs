using KSync.Syncthing.Events;

namespace KSync.Engine.FolderEvents;

/// <summary>
/// Something that happened to a followed folder: a syncthing event about it, the local syncthing restarting, a reload
/// asked for, or the result of an action <see cref="FolderMachine"/> decided. The closed set of the machine's inputs.
/// </summary>
public abstract record FolderInput
{
    /// <summary>Creates the input; only the nested records derive from this type, so the set stays closed.</summary>
    private protected FolderInput()
    {
    }

    /// <summary>
    /// The input a syncthing event about the folder gives (syncthing REST: Event API): <c>StateChanged</c> gives
    /// <see cref="StateChanged"/>, a successful <c>ItemFinished</c> gives <see cref="ItemSynced"/>,
    /// <c>LocalChangeDetected</c> gives <see cref="ChangeDetected"/>; other events (and a failed item) give nothing.
    /// </summary>
    /// <param name="side">Which syncthing raised it.</param>
    /// <param name="syncthingEvent">The event.</param>
    /// <returns>The input, or null when the event does not matter.</returns>
    public static FolderInput? FromSyncthing(FolderSide side, SyncthingEvent syncthingEvent)
    {
        ArgumentNullException.ThrowIfNull(syncthingEvent);
        return syncthingEvent.Type switch
        {
            "LocalChangeDetected" => new ChangeDetected(side, syncthingEvent.DataString("path")),
            "StateChanged" => new StateChanged(side, syncthingEvent.DataString("to") ?? string.Empty, syncthingEvent.Time == default ? null : syncthingEvent.Time),
            "ItemFinished" when syncthingEvent.DataString("error") is null => new ItemSynced(
                side,
                syncthingEvent.Time == default ? null : syncthingEvent.Time,
                syncthingEvent.DataString("action"),
                syncthingEvent.DataString("item")),
            _ => null,
        };
    }

    /// <summary>
    /// A side's folder is in a state (<c>idle</c>, <c>scanning</c>, <c>sync-waiting</c>, <c>sync-preparing</c>,
    /// <c>syncing</c>, <c>error</c>, ...): from a <c>StateChanged</c> event, or read from <c>/rest/db/status</c> after a
    /// set-up. An input older than the last one taken in for that side (by that syncthing's own clock) is ignored, so a
    /// read and the events around it can arrive in any order.
    /// </summary>
    /// <param name="Side">Which side.</param>
    /// <param name="State">The state (<c>data.to</c>, or the status's <c>state</c>).</param>
    /// <param name="At">When that syncthing entered the state (event <c>time</c>, status <c>stateChanged</c>); null when unknown.</param>
    public sealed record StateChanged(FolderSide Side, string State, DateTimeOffset? At = null) : FolderInput;

    /// <summary>A side finished writing one item it pulled from the other (<c>ItemFinished</c> without an error).</summary>
    /// <param name="Side">Which side wrote it: <see cref="FolderSide.Node"/> means a local change landed in the container.</param>
    /// <param name="Time">When, as syncthing stamped it; null when it did not.</param>
    /// <param name="Action">What was done (<c>update</c>, <c>delete</c>, <c>metadata</c>), for the log.</param>
    /// <param name="Item">The item's path in the folder, for the log.</param>
    public sealed record ItemSynced(FolderSide Side, DateTimeOffset? Time, string? Action, string? Item) : FolderInput;

    /// <summary>
    /// A side's scanner found a change made in its own folder (<c>LocalChangeDetected</c>: emitted for scanned changes
    /// only, never for items pulled from the other side). On the local side: a change of the user's that is on its way
    /// to the container.
    /// </summary>
    /// <param name="Side">Which syncthing scanned it.</param>
    /// <param name="Item">The item's path in the folder, for the log.</param>
    public sealed record ChangeDetected(FolderSide Side, string? Item) : FolderInput;

    /// <summary>
    /// A first sync's seed (docs/architecture.md, "The seed") finished: the node agent wrote entries into the container's
    /// folder itself, so no node <c>ItemFinished</c> event follows for them. Entries written or removed count as local
    /// changes that landed in the container, like <see cref="ItemSynced"/> from the node.
    /// </summary>
    /// <param name="Written">Files, directories and symlinks the agent wrote.</param>
    /// <param name="Removed">Entries the seed removed from the container.</param>
    /// <param name="Time">When the seed finished.</param>
    public sealed record Seeded(int Written, int Removed, DateTimeOffset Time) : FolderInput;

    /// <summary>The folder is set up on both syncthings (a first sync finished, or a sync resumed).</summary>
    public sealed record SetUpDone : FolderInput;

    /// <summary>The link to the node broke (or connecting again failed); the Folder reconnects and resumes.</summary>
    /// <param name="Reason">Why, one line, for <c>get</c>.</param>
    public sealed record LinkBroken(string Reason) : FolderInput;

    /// <summary>The local syncthing came back after a crash; its folder config must be applied again.</summary>
    public sealed record LocalSyncthingRestarted : FolderInput;

    /// <summary>The user asked for a reload (<c>kubectl ksync reload</c>).</summary>
    public sealed record ReloadRequested : FolderInput;

    /// <summary>The node-side rescan decided by <see cref="FolderDecision.RescanNode"/> finished.</summary>
    /// <param name="Succeeded">False when syncthing refused it (typically the folder marker is still missing).</param>
    public sealed record RescanFinished(bool Succeeded) : FolderInput;

    /// <summary>The reload decided by <see cref="FolderDecision.Reload"/> finished, whatever its outcome.</summary>
    /// <param name="Manual">True when it answered a <see cref="ReloadRequested"/>.</param>
    /// <param name="Failed">True when the node agent did not restart or signal the container (it answered an error).</param>
    public sealed record ReloadFinished(bool Manual, bool Failed = false) : FolderInput;
}
