namespace KSync.Engine.FolderEvents;

/// <summary>
/// What a followed folder is doing, as <see cref="FolderMachine"/> tracks it. Transitions: Following → Reloading when
/// it decides a reload, Reloading → Following when the reload finished. Later phases (a broken node connection being
/// resumed, a spec halted by a safety rule) are added here; each decides the status <c>get</c> shows while it lasts.
/// </summary>
public enum FolderPhase
{
    /// <summary>Set once the folder is set up: the status follows both sides' states (syncing while either pulls, else watching).</summary>
    Following,

    /// <summary>Set while a reload runs: the status is reloading; events are still taken in, nothing else is decided.</summary>
    Reloading,
}
