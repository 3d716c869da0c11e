using System.Threading.Channels;

namespace KSync.Lab.Api;

/// <summary>
/// A subscription to store changes of one resource (optionally one namespace), fed in commit order. Dispose to stop.
/// </summary>
internal sealed class StoreWatcher : IDisposable
{
    private readonly Action<StoreWatcher> _remove;

    /// <summary>Creates the watcher.</summary>
    /// <param name="kind">Resource to follow.</param>
    /// <param name="ns">Namespace, or null for all.</param>
    /// <param name="remove">Called on dispose to unsubscribe.</param>
    public StoreWatcher(ResourceKind kind, string? ns, Action<StoreWatcher> remove)
    {
        Kind = kind;
        Namespace = ns;
        _remove = remove;
    }

    /// <summary>Gets the resource followed.</summary>
    public ResourceKind Kind { get; }

    /// <summary>Gets the namespace followed, or null for all.</summary>
    public string? Namespace { get; }

    /// <summary>Gets the channel of events; completed when the store closes watches (API server stop).</summary>
    public Channel<StoreEvent> Events { get; } = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <inheritdoc/>
    public void Dispose()
    {
        _remove(this);
        Events.Writer.TryComplete();
    }
}
