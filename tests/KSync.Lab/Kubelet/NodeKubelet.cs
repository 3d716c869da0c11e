using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.Lab.Images;
using KSync.Lab.Nodes;

namespace KSync.Lab.Kubelet;

/// <summary>
/// The kubelet of one lab node: runs every pod bound to the node (application pods and DaemonSet pods alike) in
/// the node's own engine (<see cref="INodeEngine"/>) — a sandbox per pod, containers with kubelet names and labels,
/// the pod spec resolved by <see cref="PodPlanner"/> — restarts containers per restartPolicy with back-off and
/// restartCount, runs readiness and liveness probes, reports status, and finishes deletions. Level-triggered: a pod
/// event, an engine event or the periodic resync reconciles that pod from the store and the engine.
/// </summary>
internal sealed partial class NodeKubelet : IAsyncDisposable
{
    /// <summary>Label every container of a lab carries, with the lab's ID.</summary>
    public const string LabLabel = "lab.ksync.dev/lab";

    private static readonly TimeSpan s_resync = TimeSpan.FromSeconds(2);
    private readonly ObjectStore _store;
    private readonly EventRecorder _events;
    private readonly ImageRegistry _registry;
    private readonly PodPlanner _planner;
    private readonly TextWriter _log;
    private readonly ConcurrentDictionary<string, PodRecord> _pods = new();
    private readonly ConcurrentDictionary<string, bool> _blockedImages = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private StoreWatcher? _watcher;
    private Task _loop = Task.CompletedTask;
    private Task _resync = Task.CompletedTask;
    private Task _prober = Task.CompletedTask;

    /// <summary>Creates the kubelet; <see cref="Start"/> starts it.</summary>
    /// <param name="node">The node.</param>
    /// <param name="engine">The node's engine.</param>
    /// <param name="store">The object store.</param>
    /// <param name="events">Event recorder.</param>
    /// <param name="registry">Where images come from.</param>
    /// <param name="log">Diagnostics.</param>
    public NodeKubelet(LabNode node, INodeEngine engine, ObjectStore store, EventRecorder events, ImageRegistry registry, TextWriter log)
    {
        Node = node;
        Engine = engine;
        _store = store;
        _events = events;
        _registry = registry;
        _log = log;
        _planner = new PodPlanner(store, engine.Filesystem);
    }

    /// <summary>Gets the node.</summary>
    public LabNode Node { get; }

    /// <summary>Gets the node's engine.</summary>
    public INodeEngine Engine { get; }

    /// <summary>Starts following the node's pods.</summary>
    public void Start()
    {
        var (pods, version) = _store.List(ResourceKind.Pods, null);
        _watcher = _store.Watch(ResourceKind.Pods, null, version);
        foreach (var pod in pods.Where(IsMine))
        {
            Trigger(ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod));
        }

        _loop = Task.Run(async () =>
        {
            await foreach (var change in _watcher.Events.Reader.ReadAllAsync(_stop.Token))
            {
                if (IsMine(change.Object) || _pods.ContainsKey(Key(ObjectStore.NamespaceOf(change.Object), ObjectStore.NameOf(change.Object))))
                {
                    Trigger(ObjectStore.NamespaceOf(change.Object), ObjectStore.NameOf(change.Object));
                }
            }
        });
        _resync = Task.Run(ResyncLoopAsync);
        _prober = Task.Run(ProbeLoopAsync);
    }

    /// <summary>Reconciles the pod a container belongs to (an engine event).</summary>
    /// <param name="ns">Pod namespace.</param>
    /// <param name="name">Pod name.</param>
    public void Touch(string ns, string name)
    {
        if (_pods.ContainsKey(Key(ns, name)))
        {
            Trigger(ns, name);
        }
    }

    /// <summary>The record of a pod on this node, or null.</summary>
    /// <param name="ns">Namespace.</param>
    /// <param name="name">Name.</param>
    /// <returns>The record.</returns>
    public PodRecord? Find(string ns, string name) => _pods.TryGetValue(Key(ns, name), out var record) ? record : null;

    /// <summary>Connects to a port of a pod, inside its network namespace (the node's for hostNetwork pods).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="port">The port.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="InvalidOperationException">The pod has no running sandbox.</exception>
    public async Task<Stream> ConnectAsync(JsonObject pod, int port, CancellationToken cancellationToken)
    {
        var record = Find(ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod));
        if (record?.SandboxId is not string sandbox)
        {
            throw new InvalidOperationException("the pod has no running sandbox");
        }

        if (record.Sandbox?.HostNetwork == true)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var pid = await Engine.SandboxPidAsync(sandbox, cancellationToken);
        return pid == 0
            ? throw new InvalidOperationException("the pod's sandbox is not running")
            : await NetnsConnector.ConnectAsync(pid, port, cancellationToken);
    }

    /// <summary>Makes pulls of <paramref name="image"/> fail on this node (or work again), and drops it from the engine.</summary>
    /// <param name="image">The image reference.</param>
    /// <param name="failing">True to fail pulls.</param>
    /// <returns>A task.</returns>
    public async Task SetPullFailingAsync(string image, bool failing)
    {
        if (failing)
        {
            _blockedImages[image] = true;
            await RemoveImageAsync(image);
        }
        else
        {
            _blockedImages.TryRemove(image, out _);
        }
    }

    /// <summary>
    /// Simulates a node reboot: every container and sandbox of the node's pods is removed at once, without the
    /// pods' grace; the kubelet then creates a new sandbox and new containers (new IDs, restartCount + 1) for each.
    /// Volumes on the node's disk (emptyDir, hostPath, local PVs) survive, as they do a reboot.
    /// </summary>
    /// <returns>A task that completes when the old containers are gone.</returns>
    public async Task RebootAsync()
    {
        foreach (var record in _pods.Values)
        {
            await record.Gate.WaitAsync(_stop.Token);
            try
            {
                foreach (var (name, container) in record.Containers)
                {
                    await Engine.RemoveContainerAsync(container.Id, _stop.Token);
                    record.Previous[name] = container;
                    record.LastTerminated[name] = new EngineState(true, false, 137, null, DateTime.UtcNow, 0, "Error");
                }

                record.Containers.Clear();
                if (record.SandboxId is string sandbox)
                {
                    await Engine.RemoveSandboxAsync(sandbox, _stop.Token);
                }

                record.SandboxId = null;
                record.Ready.Clear();
            }
            finally
            {
                record.Gate.Release();
            }

            Trigger(record.Namespace, record.Name);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _watcher?.Dispose();
        await Task.WhenAll(_loop, _resync, _prober).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private static string Key(string ns, string name) => $"{ns}/{name}";

    private bool IsMine(JsonObject pod) => (string?)pod["spec"]?["nodeName"] == Node.Name;

    private void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} kubelet/{Node.Name} {line}");
        }
    }

    private void Trigger(string ns, string name)
    {
        var record = _pods.GetOrAdd(Key(ns, name), _ => new PodRecord(ns, name));
        _ = Task.Run(async () =>
        {
            try
            {
                await record.Gate.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await ReconcileAsync(record);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
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

    private async Task ResyncLoopAsync()
    {
        using var timer = new PeriodicTimer(Engine.Runtime == NodeRuntime.Containerd ? TimeSpan.FromMilliseconds(500) : s_resync);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var record in _pods.Values)
                {
                    if (record.Gate.CurrentCount > 0)
                    {
                        Trigger(record.Namespace, record.Name);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RemoveImageAsync(string image)
    {
        if (Engine is DockerNodeEngine docker)
        {
            await docker.Engine.CliAsync(["rmi", "-f", image]);
        }
        else if (Engine is ContainerdNodeEngine containerd)
        {
            await containerd.Engine.CtrAsync(["images", "rm", image]);
        }
    }
}
