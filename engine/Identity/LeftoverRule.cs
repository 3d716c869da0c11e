using KSync.Config.Model;
using KSync.Engine.Syncing;

namespace KSync.Engine.Identity;

/// <summary>
/// The rule that tells a leftover from a sync waiting to resume (docs/architecture.md, "Leftovers"). Pure. A record
/// not used by a running Folder is a leftover only on positive knowledge: its spec is no longer in ksync.yaml or now
/// syncs another local folder or container path, it belongs to another local syncthing, the API says its pod is gone (or is another pod by that name now), or its
/// files were the container's own and the API says the pod now runs another container. Anything unknown (the API
/// away, the node unreachable) keeps it.
/// </summary>
public static class LeftoverRule
{
    /// <summary>Judges one record.</summary>
    /// <param name="record">The record (not used by a running Folder).</param>
    /// <param name="localDeviceId">The local syncthing's device ID now.</param>
    /// <param name="specs">The specs of ksync.yaml by name, or null while they are not known yet.</param>
    /// <param name="pod">What the API said about the record's pod, or null when it was not asked or did not answer.</param>
    /// <returns>Why the record is a leftover, or null to keep it.</returns>
    public static string? Judge(SyncRecord record, string localDeviceId, IReadOnlyDictionary<string, SpecDetails>? specs, PodPresence? pod)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.LocalDeviceId != localDeviceId)
        {
            return $"it was set up by another local syncthing ({record.LocalDeviceId})";
        }

        if (specs is not null)
        {
            if (!specs.TryGetValue(record.Spec, out var spec))
            {
                return $"spec {record.Spec} is no longer in ksync.yaml";
            }

            if (spec.LocalPath != record.LocalPath || spec.RemotePath != record.RemotePath)
            {
                return $"spec {record.Spec} now syncs {spec.LocalPath} with {spec.RemotePath}, not {record.LocalPath} with {record.RemotePath}";
            }
        }

        if (pod is null)
        {
            return null;
        }

        if (pod.IsGone || pod.Uid != record.PodUid)
        {
            return $"pod {record.Namespace}/{record.Pod} ({record.PodUid}) no longer exists";
        }

        if (!record.OnVolume
            && pod.ContainerIds.TryGetValue(record.Container, out var now)
            && now.Length > 0
            && now != record.ContainerId)
        {
            return $"container {record.Container} of pod {record.Namespace}/{record.Pod} is now {now}, and the synced files were in {record.ContainerId}'s own filesystem";
        }

        return null;
    }
}
