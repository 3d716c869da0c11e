namespace KSync.Engine.Status;

/// <summary>
/// Tells status readers (the status server, <c>get -w</c>) that something in the spec list changed. Writers call
/// <see cref="NotifyChanged"/>; readers wait for a version newer than the one they rendered.
/// </summary>
public sealed class StatusBoard
{
    private readonly object _gate = new();
    private long _version;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the current version; it grows by one with every change.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Records a change and wakes every waiter.</summary>
    public void NotifyChanged()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _version++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>Waits until <see cref="Version"/> is greater than <paramref name="seen"/>.</summary>
    /// <param name="seen">The version the caller last rendered.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The new version.</returns>
    public async Task<long> WaitForChangeAsync(long seen, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_version > seen)
                {
                    return _version;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }
}
