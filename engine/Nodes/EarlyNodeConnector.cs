namespace KSync.Engine.Nodes;

/// <summary>
/// Opens the links to the nodes watch will need before it needs them: at start, the nodes the state file names are
/// connected while the local syncthing starts (the two take about as long, ~1 s each), so a restarted watch resumes
/// without waiting for them one after the other (docs/architecture.md, "The resume rule"). The first
/// <see cref="ConnectAsync"/> for a node takes its early link; every later one, and one for a node not opened early,
/// connects anew through the inner connector. An early link that failed or closed is not handed out: the caller
/// connects anew and sees that connection's error. Early links nobody took within <see cref="Unclaimed"/> are closed.
/// </summary>
public sealed class EarlyNodeConnector : INodeConnector, IAsyncDisposable
{
    /// <summary>How long an early link waits to be taken before it is closed: 30 s.</summary>
    public static readonly TimeSpan Unclaimed = TimeSpan.FromSeconds(30);

    private readonly INodeConnector _inner;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Task<INodeLink>> _early = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private ITimer? _expiry;
    private bool _disposed;

    /// <summary>Creates the connector.</summary>
    /// <param name="inner">Opens the links.</param>
    /// <param name="time">Clock of the <see cref="Unclaimed"/> expiry.</param>
    public EarlyNodeConnector(INodeConnector inner, TimeProvider time)
    {
        _inner = inner;
        _time = time;
    }

    /// <summary>Starts connecting to each of <paramref name="nodeNames"/> (duplicates and empty names ignored); returns at once.</summary>
    /// <param name="nodeNames">The nodes the state file names.</param>
    public void Open(IEnumerable<string> nodeNames)
    {
        ArgumentNullException.ThrowIfNull(nodeNames);
        lock (_early)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var node in nodeNames)
            {
                if (!string.IsNullOrEmpty(node) && !_early.ContainsKey(node))
                {
                    _early[node] = Task.Run(() => _inner.ConnectAsync(node, _stop.Token));
                }
            }

            _expiry ??= _time.CreateTimer(_ => _ = CloseUnclaimedAsync(), null, Unclaimed, Timeout.InfiniteTimeSpan);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="Exception">The inner connector's errors for a fresh connection.</exception>
    public async Task<INodeLink> ConnectAsync(string nodeName, CancellationToken cancellationToken)
    {
        Task<INodeLink>? early;
        lock (_early)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _early.Remove(nodeName, out early);
        }

        if (early is not null)
        {
            try
            {
                var link = await early.WaitAsync(cancellationToken);
                if (!link.Closed.IsCancellationRequested)
                {
                    return link;
                }

                await link.DisposeAsync();
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The early attempt failed (no agent yet, tunnel refused): a fresh attempt reports its own error.
            }
        }

        return await _inner.ConnectAsync(nodeName, cancellationToken);
    }

    /// <summary>Closes the early links nobody took.</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_early)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _expiry?.Dispose();
        await _stop.CancelAsync();
        await CloseUnclaimedAsync();
        _stop.Dispose();
    }

    private async Task CloseUnclaimedAsync()
    {
        List<Task<INodeLink>> unclaimed;
        lock (_early)
        {
            unclaimed = [.. _early.Values];
            _early.Clear();
        }

        foreach (var task in unclaimed)
        {
            try
            {
                await (await task).DisposeAsync();
            }
            catch (Exception)
            {
                // It never opened: nothing to close.
            }
        }
    }
}
