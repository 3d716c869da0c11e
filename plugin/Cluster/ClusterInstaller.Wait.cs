using System.Diagnostics;
using System.Globalization;
using System.Net;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace KSync.Plugin.Cluster;

/// <content>Waiting for the DaemonSet on every node, and explaining nodes that are not ready.</content>
internal sealed partial class ClusterInstaller
{
    /// <summary>
    /// Waits until the DaemonSet's pods run and are ready, with the current template, on every node the DaemonSet
    /// should run on; writes a live progress line. On timeout, lists each node that is not ready and why.
    /// </summary>
    /// <param name="ns">The agent namespace.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The status of every node.</returns>
    /// <exception cref="KsyncException">Not ready on every node in time (the message lists the nodes and reasons).</exception>
    public async Task<IReadOnlyList<NodeAgentStatus>> WaitReadyAsync(string ns, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var last = string.Empty;

        // On a terminal the line is rewritten in place; into a pipe or file each change is a line of its own.
        var live = !Console.IsErrorRedirected;
        var start = live ? "\r" : string.Empty;
        while (true)
        {
            var statuses = await NodeStatusesAsync(ns, includeEvents: false, cancellationToken);
            var ready = statuses.Count(s => s.IsReady);
            var line = $"Waiting for the node agents: {ready}/{statuses.Count} nodes ready";
            if (ready == statuses.Count && statuses.Count > 0)
            {
                await _progress.WriteLineAsync($"{start}Node agents ready on {ready}/{statuses.Count} nodes ({watch.Elapsed.TotalSeconds:0.0} s).{(live ? "     " : string.Empty)}");
                return statuses;
            }

            if (line != last)
            {
                await (live ? _progress.WriteAsync(start + line) : _progress.WriteLineAsync(line));
                last = line;
            }

            if (watch.Elapsed > timeout)
            {
                if (live)
                {
                    await _progress.WriteLineAsync();
                }

                var detailed = await NodeStatusesAsync(ns, includeEvents: true, cancellationToken);
                var notReady = detailed.Where(s => !s.IsReady).ToList();
                var lines = string.Join(string.Empty, notReady.Select(s => $"\n  - {s.NodeName}: {(s.PodName is null ? string.Empty : $"pod {s.PodName}: ")}{s.Reason}"));
                throw new KsyncException(
                    $"The node agent is not ready on {notReady.Count} of {detailed.Count} node(s) after {timeout.TotalSeconds:0} s:{lines}",
                    $"Fix the cause shown, then run 'kubectl ksync init' again (or 'kubectl -n {ns} describe pods' for more).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>The agent's state on every node it should run on.</summary>
    /// <param name="ns">The agent namespace.</param>
    /// <param name="includeEvents">Whether to add recent Warning events of not-ready pods to their reason.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One entry per node.</returns>
    /// <exception cref="KsyncException">The DaemonSet does not exist.</exception>
    public async Task<IReadOnlyList<NodeAgentStatus>> NodeStatusesAsync(string ns, bool includeEvents, CancellationToken cancellationToken)
    {
        V1DaemonSet ds;
        try
        {
            ds = await Client.AppsV1.ReadNamespacedDaemonSetAsync(NodeAgent.Name, ns, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KsyncException($"The DaemonSet {ns}/{NodeAgent.Name} does not exist.", "Run 'kubectl ksync init'.", ex);
        }

        var nodes = await Client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        var pods = await Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: NodeAgent.PodSelector, cancellationToken: cancellationToken);
        var generation = (ds.Metadata.Generation ?? 1).ToString(CultureInfo.InvariantCulture);
        var result = new List<NodeAgentStatus>();
        foreach (var node in nodes.Items.Where(n => RunsOn(ds, n)).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            var pod = pods.Items
                .Where(p => p.Spec?.NodeName == node.Metadata.Name && p.Metadata.DeletionTimestamp is null)
                .OrderByDescending(p => p.Metadata.CreationTimestamp)
                .FirstOrDefault();
            if (pod is null)
            {
                result.Add(new NodeAgentStatus(node.Metadata.Name, null, false, "no agent pod scheduled yet"));
                continue;
            }

            var current = pod.Metadata.Labels?.TryGetValue("pod-template-generation", out var podGeneration) != true || podGeneration == generation;
            var ready = pod.Status?.Phase == "Running" && NodeAgentLocator.IsReady(pod) && current;
            string? reason = null;
            if (!ready)
            {
                reason = Describe(pod, current);
                if (includeEvents)
                {
                    var events = await Client.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: $"involvedObject.name={pod.Metadata.Name}", cancellationToken: cancellationToken);
                    var warnings = events.Items.Where(e => e.Type == "Warning").TakeLast(3).Select(e => $"{e.Reason}: {e.Message}").ToList();
                    if (warnings.Count > 0)
                    {
                        reason += "; events: " + string.Join("; ", warnings);
                    }
                }
            }

            result.Add(new NodeAgentStatus(node.Metadata.Name, pod.Metadata.Name, ready, reason));
        }

        return result;
    }

    /// <summary>Whether the DaemonSet should run on a node: its nodeSelector matches and its tolerations cover the node's NoSchedule/NoExecute taints.</summary>
    /// <param name="ds">The DaemonSet.</param>
    /// <param name="node">The node.</param>
    /// <returns>True when it should.</returns>
    public static bool RunsOn(V1DaemonSet ds, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(node);
        var spec = ds.Spec.Template.Spec;
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        if (spec.NodeSelector?.Any(p => !labels.TryGetValue(p.Key, out var value) || value != p.Value) == true)
        {
            return false;
        }

        var tolerations = spec.Tolerations ?? [];
        return (node.Spec?.Taints ?? []).Where(t => t.Effect is "NoSchedule" or "NoExecute").All(taint => tolerations.Any(t =>
            ((t.OperatorProperty == "Exists" && (string.IsNullOrEmpty(t.Key) || t.Key == taint.Key)) || (t.Key == taint.Key && t.Value == taint.Value))
            && (string.IsNullOrEmpty(t.Effect) || t.Effect == taint.Effect)));
    }

    private static string Describe(V1Pod pod, bool current)
    {
        if (!current)
        {
            return "runs an older template (being replaced)";
        }

        var parts = new List<string> { $"phase {pod.Status?.Phase ?? "Unknown"}" };
        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            if (status.State?.Waiting is { } waiting)
            {
                parts.Add($"{status.Name} waiting: {waiting.Reason}{(string.IsNullOrEmpty(waiting.Message) ? string.Empty : $" ({waiting.Message})")}");
            }
            else if (status.State?.Terminated is { } terminated)
            {
                parts.Add($"{status.Name} terminated: {terminated.Reason} (exit {terminated.ExitCode})");
            }
            else if (!status.Ready)
            {
                parts.Add($"{status.Name} running, not ready");
            }
        }

        return string.Join(", ", parts);
    }
}
