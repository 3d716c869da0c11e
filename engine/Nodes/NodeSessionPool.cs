namespace KSync.Engine.Nodes;

/// <summary>
/// Shares one <see cref="NodeSession"/> per node among all Folders on that node (many specs and pods on a node use
/// one radar tunnel, one pair of syncthing tunnels and one pairing). Sessions are reference counted: a broken one is
/// replaced for new users and disposed when its last user leaves; a healthy idle one is kept for the next Folder.
/// </summary>
public sealed class NodeSessionPool : IAsyncDisposable
{
    private readonly Func<string, CancellationToken, Task<NodeSession>> _connect;
    private readonly Dictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _current = new(StringComparer.Ordinal);
    private readonly List<Entry> _all = [];
    private readonly object _lock = new();
    private bool _disposed;

    /// <summary>Creates the pool.</summary>
    /// <param name="connect">Connects a new session to a node.</param>
    public NodeSessionPool(Func<string, CancellationToken, Task<NodeSession>> connect)
    {
        _connect = connect;
    }

    /// <summary>Gets the session for <paramref name="nodeName"/>, connecting one when there is none or it broke.</summary>
    /// <param name="nodeName">The node.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>A lease; dispose it when the Folder is done with the session.</returns>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public async Task<Lease> AcquireAsync(string nodeName, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_gates.TryGetValue(nodeName, out gate!))
            {
                gate = _gates[nodeName] = new SemaphoreSlim(1, 1);
            }
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_current.TryGetValue(nodeName, out var existing) && !existing.Session.IsBroken)
                {
                    existing.Users++;
                    return new Lease(this, existing);
                }
            }

            var session = await _connect(nodeName, cancellationToken);
            Entry entry;
            List<Entry> retired;
            lock (_lock)
            {
                entry = new Entry(session) { Users = 1 };
                _current[nodeName] = entry;
                _all.Add(entry);
                retired = [.. _all.Where(e => e != entry && e.Users == 0 && e.Session.NodeName == nodeName)];
                _all.RemoveAll(retired.Contains);
            }

            foreach (var old in retired)
            {
                await old.Session.DisposeAsync();
            }

            return new Lease(this, entry);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the node's current session if one is open and not broken (a lease is held
    /// meanwhile); does nothing otherwise. Never connects.
    /// </summary>
    /// <param name="nodeName">The node.</param>
    /// <param name="action">What to do with the session.</param>
    /// <param name="cancellationToken">Cancels the action.</param>
    /// <returns>True when a session was there and the action ran.</returns>
    public async Task<bool> WithOpenSessionAsync(string nodeName, Func<NodeSession, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        Entry? entry;
        lock (_lock)
        {
            if (_disposed || !_current.TryGetValue(nodeName, out entry) || entry.Session.IsBroken)
            {
                return false;
            }

            entry.Users++;
        }

        await using var lease = new Lease(this, entry);
        await action(entry.Session, cancellationToken);
        return true;
    }

    /// <summary>Disposes every session.</summary>
    /// <returns>A task that completes when all are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        List<Entry> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _all];
            _all.Clear();
            _current.Clear();
        }

        await Task.WhenAll(all.Select(e => e.Session.DisposeAsync().AsTask()));
    }

    private async ValueTask ReleaseAsync(Entry entry)
    {
        bool dispose;
        lock (_lock)
        {
            entry.Users--;
            var isCurrent = _current.TryGetValue(entry.Session.NodeName, out var current) && current == entry;
            dispose = entry.Users == 0 && (!isCurrent || entry.Session.IsBroken) && _all.Remove(entry);
            if (dispose && isCurrent)
            {
                _current.Remove(entry.Session.NodeName);
            }
        }

        if (dispose)
        {
            await entry.Session.DisposeAsync();
        }
    }

    /// <summary>A Folder's use of a session.</summary>
    public sealed class Lease : IAsyncDisposable
    {
        private readonly NodeSessionPool _pool;
        private readonly Entry _entry;
        private int _released;

        /// <summary>Creates the lease.</summary>
        /// <param name="pool">The pool.</param>
        /// <param name="entry">The session entry.</param>
        internal Lease(NodeSessionPool pool, Entry entry)
        {
            _pool = pool;
            _entry = entry;
        }

        /// <summary>Gets the session.</summary>
        public NodeSession Session => _entry.Session;

        /// <inheritdoc/>
        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? _pool.ReleaseAsync(_entry) : ValueTask.CompletedTask;
    }

    /// <summary>A session and how many Folders use it.</summary>
    /// <param name="session">The session.</param>
    internal sealed class Entry(NodeSession session)
    {
        /// <summary>Gets the session.</summary>
        public NodeSession Session { get; } = session;

        /// <summary>Gets or sets how many leases are out.</summary>
        public int Users { get; set; }
    }
}
