using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Syncing;

/// <summary>What every Folder of a watch shares: the local syncthing, the node sessions, the options, and the set of folder IDs in use.</summary>
/// <param name="Local">The local syncthing.</param>
/// <param name="Nodes">The node sessions.</param>
/// <param name="Options">Tuning.</param>
/// <param name="Loggers">Makes loggers.</param>
internal sealed record FolderContext(LocalSyncthing Local, NodeSessionPool Nodes, WatchOptions Options, ILoggerFactory Loggers)
{
    private readonly ConcurrentDictionary<string, bool> _active = new(StringComparer.Ordinal);

    /// <summary>Whether a folder ID belongs to a running Folder (a node session keeps those when it cleans leftovers).</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <returns>True when in use.</returns>
    public bool IsActive(string folderId) => _active.ContainsKey(folderId);

    /// <summary>Marks a folder ID in use or not.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <param name="active">True while a Folder uses it.</param>
    public void SetActive(string folderId, bool active)
    {
        if (active)
        {
            _active[folderId] = true;
        }
        else
        {
            _active.TryRemove(folderId, out _);
        }
    }
}
