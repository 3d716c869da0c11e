using System.Globalization;
using KSync.Engine.Status;
using KSync.Syncthing.Folders;

namespace KSync.Engine.Syncing;

/// <summary>
/// Decides whether a container holds every local change made before the question (<c>kubectl ksync wait</c>;
/// docs/architecture.md, "The sync barrier"). The local folder is rescanned first, so every change saved before the
/// call is in the local syncthing's index; then the node holds them all when the Service is <c>watching</c>, the local
/// syncthing's view of the node device for the folder needs nothing (syncthing computes it from the index the node
/// announced after pulling, so a change the node has not written yet is still needed), and both folders are idle
/// with nothing to pull. With <c>remotereadonly</c> local changes never go out: the question is then whether this side
/// holds the container's changes (local folder idle, nothing needed). Pure: facts in, the reason it is not there out.
/// </summary>
public static class InSyncRule
{
    /// <summary>Judges the facts.</summary>
    /// <param name="facts">What was read.</param>
    /// <returns>Null when the container holds every local change; else why not, for the user.</returns>
    public static string? NotYet(InSyncFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var service = facts.Service;
        var byStatus = service.Status switch
        {
            ServiceStatus.Watching => null,
            ServiceStatus.Syncing => "files are still moving (syncing)",
            ServiceStatus.Reloading => "the container is reloading",
            ServiceStatus.Reconnecting => string.Create(
                CultureInfo.InvariantCulture,
                $"reconnecting to the node since {service.ReconnectingSince?.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}: {(service.ReconnectReason.Length > 0 ? service.ReconnectReason : "the link to the node broke")}"),
            ServiceStatus.Error => $"error: {service.LastError}",
            _ => "the sync is starting",
        };
        if (byStatus is not null)
        {
            return byStatus;
        }

        if (!facts.LocalRescanned)
        {
            return facts.ReadError is { } why ? $"the local folder could not be rescanned: {why}" : "the local folder is not rescanned yet";
        }

        if (facts.ReadError is { } error)
        {
            return $"the folder's state could not be read: {error}";
        }

        if (facts.Local is not { } local || facts.Node is not { } node || facts.NodeCompletion is not { } completion)
        {
            return "the folder's state is not read yet";
        }

        if (local.State != "idle")
        {
            return $"the local folder is {local.State}";
        }

        if (facts.Direction == SyncDirection.RemoteReadOnly)
        {
            return local.NeedTotalItems > 0 ? Items(local.NeedTotalItems, "still to come from the container (remote read-only)") : null;
        }

        if (completion.NeedItems > 0 || completion.NeedDeletes > 0 || completion.NeedBytes > 0)
        {
            return $"the node still needs {Items(completion.NeedItems + completion.NeedDeletes, string.Create(CultureInfo.InvariantCulture, $"({completion.NeedBytes:N0} B)"))} of the local changes";
        }

        if (node.State != "idle")
        {
            return $"the node folder is {node.State}";
        }

        if (node.NeedTotalItems > 0)
        {
            return $"the node is still pulling {Items(node.NeedTotalItems, string.Empty).TrimEnd()}";
        }

        if (facts.Direction == SyncDirection.LocalReadOnly && node.ReceiveOnlyChangedItems > 0)
        {
            return $"the container changed {Items(node.ReceiveOnlyChangedItems, "itself, which the local versions do not replace (local read-only)")}";
        }

        return null;
    }

    private static string Items(long count, string rest)
        => string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? "item" : "items")} {rest}");
}
