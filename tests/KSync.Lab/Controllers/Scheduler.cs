using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Controllers;

/// <summary>
/// The lab's scheduler: binds each pending pod without a node to one that fits (<see cref="Placement"/>), round robin
/// among them; provisions local volumes for the pod's unbound claims on that node (<see cref="VolumeBinder"/>,
/// WaitForFirstConsumer); marks a pod that fits nowhere Unschedulable with a FailedScheduling event.
/// </summary>
internal sealed class Scheduler : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly EventRecorder _events;
    private readonly VolumeBinder _binder;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _next;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="store">The store.</param>
    /// <param name="events">Event recorder.</param>
    /// <param name="binder">The volume binder.</param>
    public Scheduler(ObjectStore store, EventRecorder events, VolumeBinder binder)
    {
        _store = store;
        _events = events;
        _binder = binder;
    }

    /// <summary>Starts scheduling.</summary>
    public void Start()
    {
        var (_, version) = _store.List(ResourceKind.Pods, null);
        var pods = _store.Watch(ResourceKind.Pods, null, version);
        var claims = _store.Watch(ResourceKind.PersistentVolumeClaims, null, version);
        _loop = Task.Run(async () =>
        {
            using (pods)
            using (claims)
            using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500)))
            {
                try
                {
                    ScheduleAll();
                    while (!_stop.IsCancellationRequested)
                    {
                        var tick = timer.WaitForNextTickAsync(_stop.Token).AsTask();
                        await Task.WhenAny(tick, pods.Events.Reader.WaitToReadAsync(_stop.Token).AsTask());
                        while (pods.Events.Reader.TryRead(out _) || claims.Events.Reader.TryRead(out _))
                        {
                        }

                        ScheduleAll();
                        if (!tick.IsCompleted)
                        {
                            await tick;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
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

    private void ScheduleAll()
    {
        var nodes = _store.List(ResourceKind.Nodes, null).Items;
        foreach (var pod in _store.List(ResourceKind.Pods, null, p => string.IsNullOrEmpty((string?)p["spec"]?["nodeName"]) && p["metadata"]?["deletionTimestamp"] is null).Items)
        {
            var candidates = nodes.Where(n => Placement.Fits(pod, n, _store)).ToList();
            if (candidates.Count == 0)
            {
                if ((string?)pod["status"]?["conditions"]?[0]?["reason"] != "Unschedulable")
                {
                    var message = $"0/{nodes.Count} nodes are available: no node matches the pod's node selector, tolerations and volumes.";
                    _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
                    {
                        p["status"] = new JsonObject
                        {
                            ["phase"] = "Pending",
                            ["conditions"] = new JsonArray(new JsonObject
                            {
                                ["type"] = "PodScheduled",
                                ["status"] = "False",
                                ["reason"] = "Unschedulable",
                                ["message"] = message,
                                ["lastProbeTime"] = null,
                                ["lastTransitionTime"] = ObjectStore.Now(),
                            }),
                        };
                        return true;
                    });
                    _events.Record(pod, "Warning", "FailedScheduling", message, "default-scheduler");
                }

                continue;
            }

            var node = ObjectStore.NameOf(candidates[Interlocked.Increment(ref _next) % candidates.Count]);
            if (!_binder.BindClaims(pod, node))
            {
                continue;
            }

            _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
            {
                if (!string.IsNullOrEmpty((string?)p["spec"]?["nodeName"]))
                {
                    return false;
                }

                p["spec"]!["nodeName"] = node;
                p["status"] = new JsonObject
                {
                    ["phase"] = "Pending",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = ObjectStore.Now() }),
                };
                return true;
            });
            _events.Record(pod, "Normal", "Scheduled", $"Successfully assigned {ObjectStore.NamespaceOf(pod)}/{ObjectStore.NameOf(pod)} to {node}", "default-scheduler");
        }
    }
}
