using KSync.Config.Model;
using KSync.Engine.Syncing;
using KSync.Syncthing.Client;

namespace KSync.Engine.Identity;

/// <summary>
/// The one owner of syncthing folder IDs, of the state file and of the leftover rules (docs/architecture.md, "Folder
/// identity"). A watch has one instance, shared by the local syncthing, every node session, every Folder and the
/// leftover sweeper:
/// <list type="bullet">
/// <item>the syncs set up so far (<see cref="Records"/>), loaded from and saved to the <see cref="StateFile"/>;</item>
/// <item>a Folder's claim on its identity (<see cref="Claim"/>): the record to resume, if any, and the way to record
/// the set-up before either syncthing is touched;</item>
/// <item>which folders a syncthing holds that no record knows (<see cref="LeftoversOnLocal"/>,
/// <see cref="LeftoversOnNode"/>), and forgetting records judged leftovers (<see cref="Forget"/>), never one a
/// running Folder claims.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class FolderIdentities
{
    /// <summary>Prefix of every folder ID ksync configures.</summary>
    public const string IdPrefix = "ksync-";

    /// <summary>Length of the random suffix of a folder ID.</summary>
    public const int SuffixLength = 6;

    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyz";
    private readonly object _gate = new();
    private readonly StateFile? _file;
    private readonly Func<string> _newSuffix;
    private readonly List<SyncRecord> _records = [];
    private readonly Dictionary<SyncKey, SyncClaim> _claims = [];

    /// <summary>Creates the registry.</summary>
    /// <param name="file">Where records are kept across runs; null keeps them in memory only (tests).</param>
    /// <param name="newSuffix">Makes the random suffix of each new folder ID; null for 6 random lowercase letters.</param>
    public FolderIdentities(StateFile? file = null, Func<string>? newSuffix = null)
    {
        _file = file;
        _newSuffix = newSuffix ?? (() => System.Security.Cryptography.RandomNumberGenerator.GetString(SuffixAlphabet, SuffixLength));
    }

    /// <summary>Gets a copy of the records, in the order they were first set up.</summary>
    public IReadOnlyList<SyncRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>
    /// The part of a folder ID that names the sync for people: <c>ksync-&lt;spec&gt;-&lt;pod&gt;-&lt;container&gt;-&lt;first
    /// 12 characters of the runtime's container ID&gt;</c>.
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <param name="container">The container.</param>
    /// <returns>The ID without the random suffix.</returns>
    public static string BaseIdFor(SpecDetails spec, RemoteContainer container)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(container);
        var id = container.RuntimeId;
        return $"{IdPrefix}{spec.Name}-{container.PodName}-{container.ContainerName}-{id[..Math.Min(12, id.Length)]}";
    }

    /// <summary>Tells whether a folder ID is one ksync configures (it has <see cref="IdPrefix"/>).</summary>
    /// <param name="folderId">A folder ID from a syncthing's config, or null.</param>
    /// <returns>True for ksync's folders.</returns>
    public static bool IsOurs(string? folderId) => folderId?.StartsWith(IdPrefix, StringComparison.Ordinal) == true;

    /// <summary>Reads the state file (nothing happens without one).</summary>
    /// <exception cref="SyncEngineException">The file does not parse.</exception>
    public void Load()
    {
        if (_file is null)
        {
            return;
        }

        var records = _file.Load();
        lock (_gate)
        {
            _records.Clear();
            _records.AddRange(records);
        }
    }

    /// <summary>
    /// A folder ID for a sync that starts over: <see cref="BaseIdFor"/>, <c>-</c> and a fresh suffix. A new sync always
    /// gets a new ID: syncthing drops a removed folder's database in the background, so re-adding an ID moments after
    /// it was removed can leave the new folder idle with items it never pulls; a fresh ID always starts clean.
    /// </summary>
    /// <param name="spec">The spec.</param>
    /// <param name="container">The container.</param>
    /// <returns>The ID.</returns>
    public string NewFolderId(SpecDetails spec, RemoteContainer container) => $"{BaseIdFor(spec, container)}-{_newSuffix()}";

    /// <summary>Tells whether a record has the folder ID.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <returns>True when the state knows it.</returns>
    public bool IsKnown(string folderId)
    {
        lock (_gate)
        {
            return _records.Exists(r => r.FolderId == folderId);
        }
    }

    /// <summary>Tells whether a running Folder claims the folder ID.</summary>
    /// <param name="folderId">The folder ID.</param>
    /// <returns>True while claimed.</returns>
    public bool IsActive(string folderId)
    {
        lock (_gate)
        {
            return _claims.Values.Any(c => c.CurrentRecord?.FolderId == folderId);
        }
    }

    /// <summary>
    /// Claims an identity for a running Folder: returns the record to resume (if any) and keeps it from being forgotten
    /// as a leftover until the claim is disposed.
    /// </summary>
    /// <param name="key">The identity.</param>
    /// <returns>The claim.</returns>
    /// <exception cref="SyncEngineException">Another running Folder syncs the same files (two pods of one spec on one hostPath).</exception>
    public SyncClaim Claim(SyncKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_claims.TryGetValue(key, out var other))
            {
                throw new SyncEngineException(
                    $"Node folder {key.NodePath} on {key.Node} is already synced with {key.LocalPath} by spec {key.Spec} ({other.CurrentRecord?.Pod ?? "another pod"}).",
                    "Two pods of one spec share this volume; narrow the spec's selector to one of them.");
            }

            var claim = new SyncClaim(this, key, _records.LastOrDefault(r => r.Key == key));
            _claims[key] = claim;
            return claim;
        }
    }

    /// <summary>
    /// The folders of a node syncthing that are leftovers of this machine: ksync's, shared with
    /// <paramref name="localDeviceId"/>, and unknown to the state. Folders shared with other devices (another user's
    /// watch on the same node) are never leftovers here; folders waiting to resume are known.
    /// </summary>
    /// <param name="folders">The node syncthing's folders.</param>
    /// <param name="localDeviceId">The local syncthing's device ID.</param>
    /// <returns>The IDs to remove, in the order given.</returns>
    public IReadOnlyList<string> LeftoversOnNode(IEnumerable<FolderConfiguration> folders, string localDeviceId)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return [.. folders
            .Where(f => IsOurs(f.Id) && f.Devices?.Any(d => d.DeviceId == localDeviceId) == true && !IsKnown(f.Id!))
            .Select(f => f.Id!)];
    }

    /// <summary>
    /// The folders of the local syncthing that are leftovers: ksync's and unknown to the state (the local syncthing
    /// belongs to this home, so every folder it should keep has a record).
    /// </summary>
    /// <param name="folders">The local syncthing's folders.</param>
    /// <returns>The IDs to remove, in the order given.</returns>
    public IReadOnlyList<string> LeftoversOnLocal(IEnumerable<FolderConfiguration> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return [.. folders.Where(f => IsOurs(f.Id) && !IsKnown(f.Id!)).Select(f => f.Id!)];
    }

    /// <summary>Forgets the records of <paramref name="folderIds"/> that no running Folder claims, and saves.</summary>
    /// <param name="folderIds">Folders judged leftovers.</param>
    /// <returns>The records forgotten; their folders are to be removed from both syncthings.</returns>
    /// <exception cref="IOException">The state file could not be written (nothing is forgotten).</exception>
    public IReadOnlyList<SyncRecord> Forget(IReadOnlyCollection<string> folderIds)
    {
        ArgumentNullException.ThrowIfNull(folderIds);
        lock (_gate)
        {
            var doomed = _records.Where(r => folderIds.Contains(r.FolderId) && !_claims.Values.Any(c => c.CurrentRecord?.FolderId == r.FolderId)).ToList();
            if (doomed.Count > 0)
            {
                Save(_records.Except(doomed).ToList());
            }

            return doomed;
        }
    }

    /// <summary>Records a claim's set-up: replaces the record of the same identity or folder ID, and saves.</summary>
    /// <param name="claim">The claim.</param>
    /// <param name="record">The record.</param>
    internal void Put(SyncClaim claim, SyncRecord record)
    {
        lock (_gate)
        {
            var next = new List<SyncRecord>();
            var placed = false;
            foreach (var existing in _records)
            {
                if (existing.Key != claim.Key && existing.FolderId != record.FolderId)
                {
                    next.Add(existing);
                }
                else if (!placed)
                {
                    next.Add(record);
                    placed = true;
                }
            }

            if (!placed)
            {
                next.Add(record);
            }

            Save(next);
            claim.CurrentRecord = record;
        }
    }

    /// <summary>Ends a claim.</summary>
    /// <param name="claim">The claim.</param>
    internal void Release(SyncClaim claim)
    {
        lock (_gate)
        {
            if (_claims.TryGetValue(claim.Key, out var current) && ReferenceEquals(current, claim))
            {
                _claims.Remove(claim.Key);
            }
        }
    }

    private void Save(List<SyncRecord> records)
    {
        _file?.Save(records);
        _records.Clear();
        _records.AddRange(records);
    }
}
