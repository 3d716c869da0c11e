using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Controllers;

/// <summary>
/// The taint manager's NoExecute eviction (Kubernetes docs: "Taints and Tolerations", effect NoExecute): a pod
/// bound to a node with a NoExecute taint it does not tolerate is deleted, with a TaintManagerEviction event. A
/// toleration's tolerationSeconds delays the eviction by that long after the lab first saw the taint.
/// </summary>
internal sealed class TaintEviction : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly EventRecorder _events;
    private readonly Dictionary<string, DateTime> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the controller.</summary>
    /// <param name="store">The store.</param>
    /// <param name="events">Event recorder.</param>
    public TaintEviction(ObjectStore store, EventRecorder events)
    {
        _store = store;
        _events = events;
    }

    /// <summary>Starts it (a pass every 500 ms).</summary>
    public void Start()
        => _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    Sweep();
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private void Sweep()
    {
        foreach (var node in _store.List(ResourceKind.Nodes, null).Items)
        {
            var nodeName = ObjectStore.NameOf(node);
            var taints = Placement.Taints(node).Where(t => (string?)t["effect"] == "NoExecute").ToList();
            foreach (var taint in taints)
            {
                _seen.TryAdd($"{nodeName}/{(string?)taint["key"]}", DateTime.UtcNow);
            }

            if (taints.Count == 0)
            {
                continue;
            }

            foreach (var pod in _store.List(ResourceKind.Pods, null, p => (string?)p["spec"]?["nodeName"] == nodeName && p["metadata"]?["deletionTimestamp"] is null).Items)
            {
                var tolerations = (pod["spec"]?["tolerations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
                var evict = taints.Any(t =>
                {
                    var matching = tolerations.Where(x => Placement.Tolerated(t, [x])).ToList();
                    if (matching.Count == 0)
                    {
                        return true;
                    }

                    var seconds = matching.Select(x => JsonNumbers.Long(x["tolerationSeconds"])).ToList();
                    return seconds.All(s => s is not null) && DateTime.UtcNow - _seen[$"{nodeName}/{(string?)t["key"]}"] > TimeSpan.FromSeconds(seconds.Max()!.Value);
                });
                if (!evict)
                {
                    continue;
                }

                _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
                {
                    if (p["metadata"]!["deletionTimestamp"] is not null)
                    {
                        return false;
                    }

                    p["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
                    p["metadata"]!["deletionGracePeriodSeconds"] = JsonNumbers.Long(p["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
                    return true;
                });
                _events.Record(pod, "Normal", "TaintManagerEviction", $"Marking for deletion Pod {ObjectStore.NamespaceOf(pod)}/{ObjectStore.NameOf(pod)}", "taint-eviction-controller");
            }
        }
    }
}
