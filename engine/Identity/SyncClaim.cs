namespace KSync.Engine.Identity;

/// <summary>
/// A running Folder's claim on one identity (<see cref="FolderIdentities.Claim"/>): the record found for it, and the
/// way to record the Folder's set-up. While the claim lives its folder is never forgotten as a leftover; dispose it
/// when the Folder stops.
/// </summary>
public sealed class SyncClaim : IDisposable
{
    private readonly FolderIdentities _owner;
    private int _disposed;

    /// <summary>Creates the claim.</summary>
    /// <param name="owner">The registry.</param>
    /// <param name="key">The identity.</param>
    /// <param name="found">The record the state had for it, or null.</param>
    internal SyncClaim(FolderIdentities owner, SyncKey key, SyncRecord? found)
    {
        _owner = owner;
        Key = key;
        Found = found;
        CurrentRecord = found;
    }

    /// <summary>Gets the identity.</summary>
    public SyncKey Key { get; }

    /// <summary>Gets the record the state had for the identity when claimed, or null (a sync ksync never set up).</summary>
    public SyncRecord? Found { get; }

    /// <summary>Gets the identity's record now: <see cref="Found"/> until <see cref="Record"/>, then the recorded one.</summary>
    public SyncRecord? CurrentRecord { get; internal set; }

    /// <summary>Records the set-up in the state file before either syncthing is configured (an intent record).</summary>
    /// <param name="record">The record; it must have this claim's <see cref="Key"/>.</param>
    /// <exception cref="ArgumentException">The record is of another identity.</exception>
    /// <exception cref="IOException">The state file could not be written.</exception>
    public void Record(SyncRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (record.Key != Key)
        {
            throw new ArgumentException($"The record of folder {record.FolderId} is of another identity.", nameof(record));
        }

        _owner.Put(this, record);
    }

    /// <summary>Records that a sync of the folder completed (a first sync or a resume) at <paramref name="when"/>.</summary>
    /// <param name="when">When it completed.</param>
    /// <exception cref="InvalidOperationException">Nothing was recorded yet.</exception>
    public void MarkSynced(DateTimeOffset when)
    {
        var current = CurrentRecord ?? throw new InvalidOperationException("No set-up was recorded for this claim.");
        Record(current with { SyncedAt = when });
    }

    /// <summary>Ends the claim; the record stays in the state file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _owner.Release(this);
        }
    }
}
