
namespace KSync.Engine.Syncing;

/// <summary>
/// The Services of one Spec: one per matching running container. <see cref="ReconcileAsync"/> makes the running
/// set equal the desired set — a new container gets a Service, a vanished one loses it, and a container whose ID or
/// pod UID changed (restart, reschedule, rollout) gets a fresh Service, so its first sync runs again.
/// </summary>
public sealed class ServiceList : IAsyncDisposable
{
    private readonly Func<RemoteContainer, Service> _create;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, Service> _services = new(StringComparer.Ordinal);

    /// <summary>Creates an empty list.</summary>
    /// <param name="create">Makes a Service for a container (not started).</param>
    public ServiceList(Func<RemoteContainer, Service> create)
    {
        _create = create;
    }

    /// <summary>Gets the running Services, ordered by pod and container name.</summary>
    public IReadOnlyList<Service> Items
    {
        get
        {
            var current = Volatile.Read(ref _services);
            return [.. current.Values.OrderBy(s => s.Container.Key, StringComparer.Ordinal)];
        }
    }

    /// <summary>Starts and stops Services so that exactly <paramref name="desired"/> are synced.</summary>
    /// <param name="desired">The matching running containers.</param>
    /// <returns>A task that completes when removed Services have stopped and new ones started.</returns>
    public async Task ReconcileAsync(IReadOnlyList<RemoteContainer> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        await _gate.WaitAsync();
        try
        {
            var current = _services;
            var next = new Dictionary<string, Service>(StringComparer.Ordinal);
            var doomed = new List<Service>();
            foreach (var container in desired)
            {
                if (current.TryGetValue(container.Key, out var existing)
                    && existing.Container.ContainerId == container.ContainerId
                    && existing.Container.PodUid == container.PodUid)
                {
                    next[container.Key] = existing;
                }
                else if (!next.ContainsKey(container.Key))
                {
                    next[container.Key] = _create(container);
                }
            }

            doomed.AddRange(current.Where(kv => !next.TryGetValue(kv.Key, out var kept) || !ReferenceEquals(kept, kv.Value)).Select(kv => kv.Value));

            // Stop the old before starting the new: both would write the same node folder.
            await Task.WhenAll(doomed.Select(s => s.DisposeAsync().AsTask()));
            foreach (var (key, service) in next)
            {
                if (!current.TryGetValue(key, out var before) || !ReferenceEquals(before, service))
                {
                    service.Start();
                }
            }

            Volatile.Write(ref _services, next);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops every Service.</summary>
    /// <returns>A task that completes when all have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await Task.WhenAll(_services.Values.Select(s => s.DisposeAsync().AsTask()));
            _services = new Dictionary<string, Service>(StringComparer.Ordinal);
        }
        finally
        {
            _gate.Release();
        }
    }
}
