using System.Collections.Concurrent;
using System.Security.Cryptography;
using KSync.Config.Model;
using KSync.Engine.Syncing;
using KSync.Syncthing.Client;

namespace KSync.Engine.Identity;

/// <summary>
/// The one owner of syncthing folder IDs and of the leftover rules (docs/architecture.md, "Folder identity"). A watch
/// has one instance, shared by the local syncthing, every node session and every Folder:
/// <list type="bullet">
/// <item>the ID of a new set-up: <see cref="NewSetUpId"/>;</item>
/// <item>which IDs are ksync's (<see cref="IsOurs"/>) and which a running Folder uses (<see cref="IsActive"/>, set
/// through <see cref="Activate"/>);</item>
/// <item>which folders a syncthing holds that no Folder will use again: <see cref="LeftoversOnNode"/> and
/// <see cref="LeftoversOnLocal"/>.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class FolderIdentities
{
    /// <summary>Prefix of every folder ID ksync configures.</summary>
    public const string IdPrefix = "ksync-";

    /// <summary>Length of the random suffix of a set-up ID.</summary>
    public const int SuffixLength = 6;

    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyz";
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);
    private readonly Func<string> _newSuffix;

    /// <summary>Creates the registry; set-up IDs end in 6 random lowercase letters.</summary>
    public FolderIdentities()
        : this(() => RandomNumberGenerator.GetString(SuffixAlphabet, SuffixLength))
    {
    }

    /// <summary>Creates the registry with a given source of set-up suffixes (tests).</summary>
    /// <param name="newSuffix">Makes the suffix of each new set-up ID.</param>
    public FolderIdentities(Func<string> newSuffix)
    {
        ArgumentNullException.ThrowIfNull(newSuffix);
        _newSuffix = newSuffix;
    }

    /// <summary>
    /// The part of a folder ID that names the sync: <c>ksync-&lt;spec&gt;-&lt;pod&gt;-&lt;container&gt;-&lt;first 12
    /// characters of the runtime's container ID&gt;</c>.
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <param name="container">The container.</param>
    /// <returns>The ID without the set-up suffix.</returns>
    public static string BaseIdFor(SpecDetails spec, RemoteContainer container)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(container);
        var id = container.RuntimeId;
        return $"{IdPrefix}{spec.Name}-{container.PodName}-{container.ContainerName}-{id[..Math.Min(12, id.Length)]}";
    }

    /// <summary>
    /// The folder ID of a new set-up: <see cref="BaseIdFor"/>, <c>-</c> and a fresh suffix. Every set-up gets a new ID:
    /// syncthing drops a removed folder's database in the background, so re-adding an ID moments after it was removed
    /// can leave the new folder idle with items it never pulls; a fresh ID always starts clean.
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <param name="container">The container.</param>
    /// <returns>The ID, never used before by this registry.</returns>
    public string NewSetUpId(SpecDetails spec, RemoteContainer container) => $"{BaseIdFor(spec, container)}-{_newSuffix()}";

    /// <summary>Tells whether a folder ID is one ksync configures (it has <see cref="IdPrefix"/>).</summary>
    /// <param name="folderId">A folder ID from a syncthing's config, or null.</param>
    /// <returns>True for ksync's folders.</returns>
    public static bool IsOurs(string? folderId) => folderId?.StartsWith(IdPrefix, StringComparison.Ordinal) == true;

    /// <summary>Tells whether a running Folder uses the ID.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <returns>True while activated.</returns>
    public bool IsActive(string folderId) => _active.ContainsKey(folderId);

    /// <summary>Marks a folder ID as used by a running Folder, so leftover clean-ups keep it.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <returns>A registration; dispose it when the Folder stops using the ID.</returns>
    public IDisposable Activate(string folderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderId);
        _active[folderId] = 0;
        return new Activation(this, folderId);
    }

    /// <summary>
    /// The folders of a node syncthing that are leftovers of this machine: ksync's, shared with
    /// <paramref name="localDeviceId"/>, and not used by a running Folder. Folders shared with other devices (another
    /// user's watch on the same node) are never leftovers here.
    /// </summary>
    /// <param name="folders">The node syncthing's folders.</param>
    /// <param name="localDeviceId">The local syncthing's device ID.</param>
    /// <returns>The IDs to remove, in the order given.</returns>
    public IReadOnlyList<string> LeftoversOnNode(IEnumerable<FolderConfiguration> folders, string localDeviceId)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return [.. folders
            .Where(f => IsOurs(f.Id) && f.Devices?.Any(d => d.DeviceId == localDeviceId) == true && !IsActive(f.Id!))
            .Select(f => f.Id!)];
    }

    /// <summary>
    /// The folders of the local syncthing that are leftovers: ksync's and not used by a running Folder (the local
    /// syncthing belongs to one watch, so a folder of a previous watch is never used again).
    /// </summary>
    /// <param name="folders">The local syncthing's folders.</param>
    /// <returns>The IDs to remove, in the order given.</returns>
    public IReadOnlyList<string> LeftoversOnLocal(IEnumerable<FolderConfiguration> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return [.. folders.Where(f => IsOurs(f.Id) && !IsActive(f.Id!)).Select(f => f.Id!)];
    }

    private sealed class Activation(FolderIdentities owner, string folderId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner._active.TryRemove(folderId, out _);
            }
        }
    }
}
