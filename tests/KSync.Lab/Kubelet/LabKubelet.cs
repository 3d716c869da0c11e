using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.TestKit;

namespace KSync.Lab.Kubelet;

/// <summary>
/// The lab's scheduler and kubelet for application pods: assigns a node (nodeSelector, taints, round robin), runs
/// each container as a real container in the lab's Docker engine with kubelet-style names and labels, mounts
/// emptyDir volumes from the node's pod folder, reports status (containerID <c>docker://&lt;id&gt;</c>, phase,
/// restartCount, conditions) and finishes deletions. Pods owned by a DaemonSet are left to the agent runner.
/// Level-triggered: every pod or container event reconciles that pod from the store and the engine.
/// </summary>
internal sealed partial class LabKubelet : IAsyncDisposable
{
    /// <summary>Label every lab container carries, with the lab's ID.</summary>
    public const string LabLabel = "lab.ksync.dev/lab";

    /// <summary>Shell loop run when neither the pod nor the image names a command.</summary>
    public static readonly string[] IdleCommand = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];

    private readonly ObjectStore _store;
    private readonly DockerEngine _engine;
    private readonly EventRecorder _events;
    private readonly IReadOnlyList<LabNode> _nodes;
    private readonly string _root;
    private readonly string _labId;
    private readonly TextWriter _log;
    private readonly string _docker;
    private readonly ConcurrentDictionary<string, PodRecord> _pods = new();
    private readonly CancellationTokenSource _stop = new();
    private StoreWatcher? _watcher;
    private DockerEvents? _dockerEvents;
    private Task _loop = Task.CompletedTask;
    private int _nextNode;

    /// <summary>Creates the kubelet; <see cref="Start"/> starts it.</summary>
    /// <param name="store">The object store.</param>
    /// <param name="engine">The lab's Docker engine.</param>
    /// <param name="events">Event recorder.</param>
    /// <param name="nodes">The lab's nodes.</param>
    /// <param name="root">Lab root folder (node folders live under it).</param>
    /// <param name="labId">Value of <see cref="LabLabel"/>.</param>
    /// <param name="log">Diagnostics.</param>
    public LabKubelet(ObjectStore store, DockerEngine engine, EventRecorder events, IReadOnlyList<LabNode> nodes, string root, string labId, TextWriter log)
    {
        _store = store;
        _engine = engine;
        _events = events;
        _nodes = nodes;
        _root = root;
        _labId = labId;
        _log = log;
        _docker = Requires.Tool("docker", "docker.io");
    }

    /// <summary>Starts following pods and containers.</summary>
    public void Start()
    {
        _dockerEvents = DockerEvents.Start(_docker, _engine.Endpoint, $"{LabLabel}={_labId}", OnContainerEvent);
        var (pods, version) = _store.List(ResourceKind.Pods, null);
        _watcher = _store.Watch(ResourceKind.Pods, null, version);
        foreach (var pod in pods)
        {
            Trigger(ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod));
        }

        _loop = Task.Run(async () =>
        {
            await foreach (var change in _watcher.Events.Reader.ReadAllAsync(_stop.Token))
            {
                Trigger(ObjectStore.NamespaceOf(change.Object), ObjectStore.NameOf(change.Object));
            }
        });
    }

    /// <summary>The node folder of a pod's volumes, like <c>/var/lib/kubelet/pods/&lt;uid&gt;</c>.</summary>
    /// <param name="node">Node name.</param>
    /// <param name="uid">Pod UID.</param>
    /// <returns>The folder.</returns>
    public string PodDirectory(string node, string uid) => Path.Combine(_root, "nodes", node, "kubelet", "pods", uid);

    /// <summary>Connects to a port of an application pod, inside its container's network namespace.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="port">The port.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connection.</returns>
    public async Task<Stream> ConnectAsync(JsonObject pod, int port, CancellationToken cancellationToken)
    {
        if (!_pods.TryGetValue(Key(ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod)), out var record) || record.Containers.IsEmpty)
        {
            throw new InvalidOperationException("the pod has no running container");
        }

        var id = record.Containers.Values.First().Id;
        var pid = int.Parse(await _engine.CliOkAsync("inspect", "-f", "{{.State.Pid}}", id), CultureInfo.InvariantCulture);
        if (pid == 0)
        {
            throw new InvalidOperationException("the pod's container is not running");
        }

        return await NetnsConnector.ConnectAsync(pid, port, cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _watcher?.Dispose();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        if (_dockerEvents is not null)
        {
            await _dockerEvents.DisposeAsync();
        }

        _stop.Dispose();
    }

    private static string Key(string ns, string name) => $"{ns}/{name}";

    private void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} kubelet {line}");
        }
    }

    private void Trigger(string ns, string name)
    {
        var record = _pods.GetOrAdd(Key(ns, name), _ => new PodRecord(ns, name));
        _ = Task.Run(async () =>
        {
            await record.Gate.WaitAsync();
            try
            {
                if (!_stop.IsCancellationRequested)
                {
                    await ReconcileAsync(record);
                }
            }
            catch (Exception ex)
            {
                Log($"reconcile {record.Namespace}/{record.Name} failed: {ex}");
            }
            finally
            {
                record.Gate.Release();
            }
        });
    }

    private void OnContainerEvent(string action, string id, JsonObject attributes)
    {
        var ns = (string?)attributes["io.kubernetes.pod.namespace"];
        var name = (string?)attributes["io.kubernetes.pod.name"];
        var container = (string?)attributes["io.kubernetes.container.name"];
        if (ns is null || name is null || container is null || !_pods.TryGetValue(Key(ns, name), out var record))
        {
            return;
        }

        Log($"docker {action} {ns}/{name}/{container} {id[..12]}");
        if (action == "start" && !record.SelfStarted.TryRemove(id, out _))
        {
            // Started by someone else (radar's docker restart): a restart the kubelet did not do itself.
            record.Starts.AddOrUpdate(container, 1, (_, n) => n + 1);
        }
        else if (action == "die")
        {
            record.DiedAt[container] = DateTime.UtcNow;
        }

        if (action is "start" or "die" or "destroy")
        {
            Trigger(ns, name);
        }
    }
}
