namespace KSync.Engine.FolderEvents;

/// <summary>
/// What a Folder is doing, as <see cref="FolderMachine"/> tracks it. Transitions: SettingUp → Following when the set-up
/// is done (<see cref="FolderInput.SetUpDone"/>); Following → Reloading when it decides a reload, Reloading → Following
/// when the reload finished; any phase → Reconnecting when the link to the node broke
/// (<see cref="FolderInput.LinkBroken"/>), Reconnecting → Following when the sync resumed on a new link. Each phase
/// decides the status <c>get</c> shows while it lasts.
/// </summary>
public enum FolderPhase
{
    /// <summary>Set while the folder is set up (a first sync or a resume); the Folder shows starting or syncing itself.</summary>
    SettingUp,

    /// <summary>Set once the folder is set up: the status follows both sides' states (syncing while either pulls, else watching).</summary>
    Following,

    /// <summary>Set while a reload runs: the status is reloading; events are still taken in, nothing else is decided.</summary>
    Reloading,

    /// <summary>
    /// Set when the link to the node broke: the status is reconnecting (since when, why) until the sync resumed on a
    /// new link; a reload that became due before is kept for after the resume.
    /// </summary>
    Reconnecting,
}
