using KSync.Lab.Api;

namespace KSync.Lab;

/// <summary>
/// Finishes namespace deletions as the namespace controller does: a namespace with a deletionTimestamp is
/// Terminating; its objects are deleted (pods gracefully, through their kubelet), and when none is left the
/// namespace itself goes.
/// </summary>
internal sealed class NamespaceController : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the controller.</summary>
    /// <param name="store">The object store.</param>
    public NamespaceController(ObjectStore store)
    {
        _store = store;
    }

    /// <summary>Starts it.</summary>
    public void Start()
    {
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var ns in _store.List(ResourceKind.Namespaces, null, n => n["metadata"]?["deletionTimestamp"] is not null).Items)
                {
                    Sweep(ObjectStore.NameOf(ns));
                }
            }
        });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private void Sweep(string ns)
    {
        var left = 0;
        foreach (var kind in ResourceKind.All.Where(k => k.Namespaced))
        {
            foreach (var obj in _store.List(kind, ns).Items)
            {
                left++;
                try
                {
                    if (kind == ResourceKind.Pods)
                    {
                        _store.Mutate(kind, ns, ObjectStore.NameOf(obj), p =>
                        {
                            if (p["metadata"]!["deletionTimestamp"] is not null)
                            {
                                return false;
                            }

                            p["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
                            return true;
                        });
                    }
                    else
                    {
                        _store.Remove(kind, ns, ObjectStore.NameOf(obj));
                    }
                }
                catch (ApiException)
                {
                }
            }
        }

        if (left == 0)
        {
            try
            {
                _store.Remove(ResourceKind.Namespaces, null, ns);
            }
            catch (ApiException)
            {
            }
        }
    }
}
