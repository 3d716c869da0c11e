using KSync.Syncthing.Folders;

namespace KSync.Engine.Identity;

/// <summary>
/// The rule that decides between a first sync and a resume when a Folder sets up (docs/architecture.md, "The resume
/// rule"). Pure: the state file's record for the sync's identity and what the two syncthings hold go in, the decision
/// comes out.
/// </summary>
public static class ResumeRule
{
    /// <summary>Decides how to set up.</summary>
    /// <param name="record">The state file's record for this identity (<see cref="SyncKey"/>), or null when there is none.</param>
    /// <param name="localHolds">Whether the local syncthing has the record's folder.</param>
    /// <param name="nodeHolds">Whether the node syncthing has the record's folder.</param>
    /// <returns>
    /// No record: a first sync under a new ID. A record whose first sync never finished: that first sync again, same
    /// ID. The local syncthing lost the folder: a first sync under a new ID (nothing on this side remembers what was
    /// synced). Otherwise a resume under the same ID: both hold the folder, or only the node lost it (its syncthing's
    /// database or config went, its files are still the ones ksync synced, so they merge and never get reverted).
    /// </returns>
    public static SetUpDecision Decide(SyncRecord? record, bool localHolds, bool nodeHolds)
    {
        if (record is null)
        {
            return new SetUpDecision(SetUpMode.FirstSync, NewFolderId: true, "ksync has not synced these files before");
        }

        if (record.SyncedAt is null)
        {
            return new SetUpDecision(SetUpMode.FirstSync, NewFolderId: false, $"the first sync of folder {record.FolderId} did not finish");
        }

        if (!localHolds)
        {
            return new SetUpDecision(SetUpMode.FirstSync, NewFolderId: true, $"the local syncthing no longer has folder {record.FolderId}");
        }

        return nodeHolds
            ? new SetUpDecision(SetUpMode.Resume, NewFolderId: false, $"both syncthings still have folder {record.FolderId}")
            : new SetUpDecision(SetUpMode.Resume, NewFolderId: false, $"the node syncthing lost folder {record.FolderId}; its files are the ones ksync synced");
    }
}
