using System.Collections.Concurrent;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The Kubernetes API connection state over all running pod watches, for <c>get</c>: connected when every watch
/// is; otherwise reconnecting since the earliest drop, with the latest error.
/// </summary>
internal sealed class ApiConnections
{
    private readonly ConcurrentDictionary<PodInformer, bool> _informers = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    /// <summary>Counts a pod watch in.</summary>
    /// <param name="informer">The pod watch.</param>
    /// <returns>A registration that counts it out again.</returns>
    public IDisposable Track(PodInformer informer)
    {
        _informers[informer] = true;
        return new Registration(this, informer);
    }

    /// <summary>Gets the aggregate state now.</summary>
    /// <returns>The state.</returns>
    public ApiConnectionState Current()
    {
        var states = _informers.Keys.Select(i => i.State).ToList();
        var down = states.Where(s => !s.IsConnected).ToList();
        if (down.Count > 0)
        {
            return new ApiConnectionState(false, down.Min(s => s.Since), down.MaxBy(s => s.Since)!.LastError);
        }

        return new ApiConnectionState(true, states.Count == 0 ? _started : states.Max(s => s.Since), null);
    }

    private sealed class Registration(ApiConnections owner, PodInformer informer) : IDisposable
    {
        public void Dispose() => owner._informers.TryRemove(informer, out _);
    }
}
