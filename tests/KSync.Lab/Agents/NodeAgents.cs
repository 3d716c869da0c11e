using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Agents;

/// <summary>
/// The lab's DaemonSet controller and the kubelet for its pods: for every DaemonSet and every lab node that fits its
/// template (nodeSelector, tolerations) it creates one pod (labels from the template, owner reference, nodeName,
/// pod-template-generation), runs the pod's node agent as host processes (<see cref="AgentPod"/>), reports status
/// (Running, Ready when radar and syncthing answer), keeps the DaemonSet's status, replaces pods when the template
/// changes, and deletes them with their DaemonSet.
/// </summary>
internal sealed partial class NodeAgents : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly EventRecorder _events;
    private readonly IReadOnlyList<LabNode> _nodes;
    private readonly AgentHost _host;
    private readonly TextWriter _log;
    private readonly ConcurrentDictionary<string, AgentPod> _running = new();
    private readonly ConcurrentDictionary<string, AgentFault> _faults = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<StoreWatcher> _watchers = [];
    private Task _loop = Task.CompletedTask;
    private Task _prober = Task.CompletedTask;

    /// <summary>Creates the controller; <see cref="Start"/> starts it.</summary>
    /// <param name="store">The object store.</param>
    /// <param name="events">Event recorder.</param>
    /// <param name="nodes">The lab's nodes.</param>
    /// <param name="host">How agent processes are started on the host.</param>
    /// <param name="log">Diagnostics.</param>
    public NodeAgents(ObjectStore store, EventRecorder events, IReadOnlyList<LabNode> nodes, AgentHost host, TextWriter log)
    {
        _store = store;
        _events = events;
        _nodes = nodes;
        _host = host;
        _log = log;
    }

    /// <summary>Starts following DaemonSets and their pods.</summary>
    public void Start()
    {
        var version = _store.ResourceVersion;
        var changes = _changes;
        foreach (var kind in new[] { ResourceKind.DaemonSets, ResourceKind.Pods, ResourceKind.Secrets })
        {
            var watcher = _store.Watch(kind, null, version);
            _watchers.Add(watcher);
            _ = Task.Run(async () =>
            {
                await foreach (var change in watcher.Events.Reader.ReadAllAsync(_stop.Token))
                {
                    changes.Writer.TryWrite(true);
                }
            });
        }

        changes.Writer.TryWrite(true);
        _loop = Task.Run(async () =>
        {
            while (await changes.Reader.WaitToReadAsync(_stop.Token))
            {
                while (changes.Reader.TryRead(out _))
                {
                }

                await ReconcileAsync();
            }
        });
        _prober = Task.Run(ProbeLoopAsync);
    }

    /// <summary>Makes the agent pods on <paramref name="node"/> fail with <paramref name="fault"/> (null clears it).</summary>
    /// <param name="node">Node name.</param>
    /// <param name="fault">The fault, or null.</param>
    /// <returns>A task that completes when the pods were reconciled.</returns>
    public async Task SetFaultAsync(string node, AgentFault? fault)
    {
        if (fault is null)
        {
            _faults.TryRemove(node, out _);
        }
        else
        {
            _faults[node] = fault;
        }

        foreach (var pod in AgentPods().Where(p => (string?)p["spec"]?["nodeName"] == node))
        {
            // A fresh pod picks up the fault (or its absence), as a re-pulled image would.
            MarkDeleted(pod);
        }

        await ReconcileAsync();
    }

    /// <summary>Finds the running agent of a pod, for port-forward.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The agent, or null.</returns>
    public AgentPod? Find(JsonObject pod)
        => _running.TryGetValue((string?)pod["metadata"]?["uid"] ?? string.Empty, out var agent) ? agent : null;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        await _prober.ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.WhenAll(_running.Values.Select(a => a.DisposeAsync().AsTask()));
        _running.Clear();
        _stop.Dispose();
    }

    private void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} agents {line}");
        }
    }

    private List<JsonObject> AgentPods()
        => _store.List(ResourceKind.Pods, null, p => OwnerOf(p) is not null).Items;

    private static JsonObject? OwnerOf(JsonObject pod)
        => (pod["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(o => (string?)o["kind"] == "DaemonSet");

    private void MarkDeleted(JsonObject pod)
        => _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
        {
            if (p["metadata"]!["deletionTimestamp"] is not null)
            {
                return false;
            }

            p["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
            return true;
        });

    private static string PodName(string dsName) => $"{dsName}-{RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5)}";
}
