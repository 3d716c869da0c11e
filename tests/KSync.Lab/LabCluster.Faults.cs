using KSync.Lab.Api;
using KSync.Lab.Controllers;

namespace KSync.Lab;

/// <content>
/// Faults a test (or <c>ksync-lab fault …</c> from outside) injects into a running lab, each as it happens on a
/// cluster: the API server stops (and starts again), a node's agent containers are killed (the kubelet restarts
/// them), a node's port-forward streams are cut, a node reboots (every pod on it gets a new sandbox and new
/// containers), a node cannot pull an image.
/// </content>
public sealed partial class LabCluster
{
    /// <summary>
    /// Stops the API server and starts it again on the same port, as when a control plane restarts: open watches and
    /// port-forwards break, objects stay.
    /// </summary>
    /// <param name="compact">Also forget the change history, so watches resuming from an old resourceVersion get 410.</param>
    /// <param name="downtime">How long the server stays down; default none.</param>
    /// <param name="cancellationToken">Cancels the restart.</param>
    /// <returns>A task that completes when the server answers again.</returns>
    public async Task RestartApiServerAsync(bool compact = false, TimeSpan? downtime = null, CancellationToken cancellationToken = default)
    {
        var port = _api!.Port;
        await _api.StopAsync();
        if (compact)
        {
            Store.Compact();
        }

        if (downtime is { } wait)
        {
            await Task.Delay(wait, cancellationToken);
        }

        await _api.StartAsync(port, cancellationToken);
    }

    /// <summary>Stops the API server (clients get connection refused) until <see cref="StartApiServerAsync"/>.</summary>
    /// <returns>A task that completes when it is down.</returns>
    public Task StopApiServerAsync() => _api!.StopAsync();

    /// <summary>Starts the API server again on its port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when it answers.</returns>
    public Task StartApiServerAsync(CancellationToken cancellationToken = default) => _api!.StartAsync(_api.Port, cancellationToken);

    /// <summary>Forgets the change history: every watch resuming from an older resourceVersion gets 410 Gone.</summary>
    public void CompactHistory() => Store.Compact();

    /// <summary>Sets how often watches that asked for them get BOOKMARK events (default 1 s).</summary>
    /// <param name="interval">The interval.</param>
    public void SetBookmarkInterval(TimeSpan interval) => _api!.BookmarkInterval = interval;

    /// <summary>Names of the node agent pods (pods owned by a DaemonSet), by node.</summary>
    /// <returns>Node name → pod name, for pods not being deleted.</returns>
    public IReadOnlyDictionary<string, string> AgentPods() => DaemonSetController.PodsByNode(Store);

    /// <summary>
    /// Kills the node agent's containers on <paramref name="node"/> (SIGKILL to their main processes, as the OOM killer
    /// or a crash would); the kubelet restarts them, so the pod stays and its restartCount goes up.
    /// </summary>
    /// <param name="node">Node name.</param>
    /// <param name="cancellationToken">Cancels the kill.</param>
    /// <returns>The agent pod's name.</returns>
    /// <exception cref="InvalidOperationException">No agent pod runs on the node.</exception>
    public async Task<string> KillAgentAsync(string node, CancellationToken cancellationToken = default)
    {
        var pod = AgentPods().GetValueOrDefault(node) ?? throw new InvalidOperationException($"No agent pod runs on {node}.");
        var ns = Store.List(ResourceKind.Pods, null, p => ObjectStore.NameOf(p) == pod).Items.Single();
        var record = Kubelet(node).Find(ObjectStore.NamespaceOf(ns), pod) ?? throw new InvalidOperationException($"The kubelet of {node} does not run {pod}.");
        foreach (var container in record.Containers.Values)
        {
            await NodeEngine(node).StopContainerAsync(container.Id, TimeSpan.Zero, cancellationToken);
        }

        Kubelet(node).Touch(ObjectStore.NamespaceOf(ns), pod);
        return pod;
    }

    /// <summary>Cuts every open port-forward stream to pods on <paramref name="node"/>; later port-forwards work.</summary>
    /// <param name="node">Node name.</param>
    /// <returns>How many streams were cut.</returns>
    public int CutPortForwards(string node) => _api!.CutPortForwards(node);

    /// <summary>
    /// Reboots <paramref name="node"/>: every container and sandbox of its pods goes at once; the kubelet recreates
    /// them (new container IDs, restartCount + 1). Files on the node's disk survive.
    /// </summary>
    /// <param name="node">Node name.</param>
    /// <returns>A task that completes when the old containers are gone.</returns>
    public Task RebootNodeAsync(string node) => Kubelet(node).RebootAsync();

    /// <summary>
    /// Makes pulls of the agent image fail on <paramref name="node"/> (true) or work again (false), and replaces the
    /// node's agent pod so it pulls again; with the fault the new pod waits with ErrImagePull.
    /// </summary>
    /// <param name="node">Node name.</param>
    /// <param name="failing">True to make pulls fail.</param>
    /// <returns>A task.</returns>
    public async Task SetAgentPullFailingAsync(string node, bool failing)
    {
        await Kubelet(node).SetPullFailingAsync(AgentImage, failing);
        if (AgentPods().GetValueOrDefault(node) is string pod)
        {
            var obj = Store.List(ResourceKind.Pods, null, p => ObjectStore.NameOf(p) == pod).Items.Single();
            Store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(obj), pod, p =>
            {
                p["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
                p["metadata"]!["deletionGracePeriodSeconds"] = 0;
                return true;
            });
        }
    }

    /// <summary>
    /// Replaces the node agent on <paramref name="node"/>: its pod is deleted and the DaemonSet controller creates a
    /// new pod with a new name and new containers.
    /// </summary>
    /// <param name="node">Node name.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new pod's name, once it exists.</returns>
    public async Task<string> ReplaceAgentAsync(string node, CancellationToken cancellationToken = default)
    {
        var old = AgentPods().GetValueOrDefault(node) ?? throw new InvalidOperationException($"No agent pod on {node}.");
        var pod = Store.List(ResourceKind.Pods, null, p => ObjectStore.NameOf(p) == old).Items.Single();
        Store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), old, p =>
        {
            p["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
            return true;
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (AgentPods().GetValueOrDefault(node) is string fresh && fresh != old)
            {
                return fresh;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
