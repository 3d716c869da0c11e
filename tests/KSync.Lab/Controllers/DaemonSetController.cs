using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Controllers;

/// <summary>
/// The DaemonSet controller: for every DaemonSet and every node that fits its pod template (nodeSelector, taints
/// vs tolerations) one pod, bound to the node (labels from the template plus pod-template-generation and
/// controller-revision-hash, owner reference); pods of an older template generation are replaced; pods go with their
/// DaemonSet; the status counts scheduled, ready and updated pods. The node's kubelet runs the pods like any other.
/// </summary>
internal sealed class DaemonSetController : IAsyncDisposable
{
    private const string GenerationLabel = "pod-template-generation";
    private readonly ObjectStore _store;
    private readonly EventRecorder _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Threading.Channels.Channel<bool> _changes = System.Threading.Channels.Channel.CreateUnbounded<bool>();
    private readonly List<StoreWatcher> _watchers = [];
    private readonly List<Task> _loops = [];

    /// <summary>Creates the controller.</summary>
    /// <param name="store">The store.</param>
    /// <param name="events">Event recorder.</param>
    public DaemonSetController(ObjectStore store, EventRecorder events)
    {
        _store = store;
        _events = events;
    }

    /// <summary>Starts following DaemonSets, pods and nodes.</summary>
    public void Start()
    {
        var version = _store.ResourceVersion;
        foreach (var kind in new[] { ResourceKind.DaemonSets, ResourceKind.Pods, ResourceKind.Nodes })
        {
            var watcher = _store.Watch(kind, null, version);
            _watchers.Add(watcher);
            _loops.Add(Task.Run(async () =>
            {
                try
                {
                    await foreach (var change in watcher.Events.Reader.ReadAllAsync(_stop.Token))
                    {
                        _changes.Writer.TryWrite(true);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }));
        }

        _changes.Writer.TryWrite(true);
        _loops.Add(Task.Run(async () =>
        {
            try
            {
                while (await _changes.Reader.WaitToReadAsync(_stop.Token))
                {
                    while (_changes.Reader.TryRead(out _))
                    {
                    }

                    Reconcile();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }));
    }

    /// <summary>Names of the DaemonSet pods by node (pods not being deleted).</summary>
    /// <param name="store">The store.</param>
    /// <returns>Node name → pod name.</returns>
    public static IReadOnlyDictionary<string, string> PodsByNode(ObjectStore store)
        => store.List(ResourceKind.Pods, null, p => OwnerOf(p) is not null && p["metadata"]?["deletionTimestamp"] is null).Items
            .GroupBy(p => (string?)p["spec"]?["nodeName"] ?? string.Empty)
            .ToDictionary(g => g.Key, g => ObjectStore.NameOf(g.Last()));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        await Task.WhenAll(_loops).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private static JsonObject? OwnerOf(JsonObject pod)
        => (pod["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => (string?)o["kind"] == "DaemonSet");

    private void Reconcile()
    {
        var daemonSets = _store.List(ResourceKind.DaemonSets, null).Items;
        var uids = daemonSets.Select(d => (string)d["metadata"]!["uid"]!).ToHashSet();
        var pods = _store.List(ResourceKind.Pods, null, p => OwnerOf(p) is not null && p["metadata"]?["deletionTimestamp"] is null).Items;
        foreach (var orphan in pods.Where(p => !uids.Contains((string?)OwnerOf(p)?["uid"] ?? string.Empty)))
        {
            Delete(orphan);
        }

        var nodes = _store.List(ResourceKind.Nodes, null).Items;
        foreach (var ds in daemonSets)
        {
            EnsurePods(ds, nodes, pods);
            UpdateStatus(ds, nodes);
        }
    }

    private void EnsurePods(JsonObject ds, List<JsonObject> nodes, List<JsonObject> pods)
    {
        var uid = (string)ds["metadata"]!["uid"]!;
        var ns = ObjectStore.NamespaceOf(ds);
        var generation = (JsonNumbers.Long(ds["metadata"]!["generation"]) ?? 1).ToString(CultureInfo.InvariantCulture);
        var template = ds["spec"]?["template"] as JsonObject ?? [];
        var templatePod = new JsonObject { ["spec"] = template["spec"]?.DeepClone() };
        var owned = pods.Where(p => (string?)OwnerOf(p)?["uid"] == uid).ToList();
        foreach (var node in nodes)
        {
            var nodeName = ObjectStore.NameOf(node);
            var onNode = owned.Where(p => (string?)p["spec"]?["nodeName"] == nodeName).ToList();
            if (!Placement.Fits(templatePod, node, null))
            {
                onNode.ForEach(Delete);
                continue;
            }

            var current = onNode.Where(p => (string?)p["metadata"]?["labels"]?[GenerationLabel] == generation).ToList();
            foreach (var stale in onNode.Except(current).Concat(current.Skip(1)))
            {
                Delete(stale);
            }

            if (current.Count > 0)
            {
                continue;
            }

            var labels = template["metadata"]?["labels"]?.DeepClone() as JsonObject ?? [];
            labels[GenerationLabel] = generation;
            labels["controller-revision-hash"] = "lab" + generation;
            var spec = (JsonObject)(template["spec"]?.DeepClone() ?? new JsonObject());
            spec["nodeName"] = nodeName;
            var name = $"{ObjectStore.NameOf(ds)}-{RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5)}";
            _store.Create(ResourceKind.Pods, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["labels"] = labels,
                    ["annotations"] = template["metadata"]?["annotations"]?.DeepClone(),
                    ["ownerReferences"] = new JsonArray(new JsonObject
                    {
                        ["apiVersion"] = "apps/v1",
                        ["kind"] = "DaemonSet",
                        ["name"] = ObjectStore.NameOf(ds),
                        ["uid"] = uid,
                        ["controller"] = true,
                        ["blockOwnerDeletion"] = true,
                    }),
                },
                ["spec"] = spec,
                ["status"] = new JsonObject { ["phase"] = "Pending" },
            });
            _events.Record(ds, "Normal", "SuccessfulCreate", $"Created pod: {name}", "daemonset-controller");
        }
    }

    private void UpdateStatus(JsonObject ds, List<JsonObject> nodes)
    {
        var uid = (string)ds["metadata"]!["uid"]!;
        var generation = (JsonNumbers.Long(ds["metadata"]!["generation"]) ?? 1).ToString(CultureInfo.InvariantCulture);
        var pods = _store.List(ResourceKind.Pods, null, p => (string?)OwnerOf(p)?["uid"] == uid && p["metadata"]?["deletionTimestamp"] is null).Items;
        var templatePod = new JsonObject { ["spec"] = ds["spec"]?["template"]?["spec"]?.DeepClone() };
        var desired = nodes.Count(n => Placement.Fits(templatePod, n, null));
        var ready = pods.Count(p => (p["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true);
        var updated = pods.Count(p => (string?)p["metadata"]?["labels"]?[GenerationLabel] == generation);
        _store.Mutate(ResourceKind.DaemonSets, ObjectStore.NamespaceOf(ds), ObjectStore.NameOf(ds), d =>
        {
            d["status"] = new JsonObject
            {
                ["currentNumberScheduled"] = pods.Count,
                ["desiredNumberScheduled"] = desired,
                ["numberMisscheduled"] = 0,
                ["numberReady"] = ready,
                ["numberAvailable"] = ready,
                ["numberUnavailable"] = desired - ready,
                ["updatedNumberScheduled"] = updated,
                ["observedGeneration"] = JsonNumbers.Long(d["metadata"]!["generation"]) ?? 1,
            };
            return true;
        });
    }

    private void Delete(JsonObject pod)
        => _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
        {
            if (p["metadata"]!["deletionTimestamp"] is not null)
            {
                return false;
            }

            p["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
            return true;
        });
}
