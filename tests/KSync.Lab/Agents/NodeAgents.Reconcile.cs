using System.Globalization;
using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.Lab.Kubelet;

namespace KSync.Lab.Agents;

/// <content>One reconcile pass over every DaemonSet, its pods and their agents.</content>
internal sealed partial class NodeAgents
{
    private const string GenerationLabel = "pod-template-generation";

    private async Task ReconcileAsync()
    {
        await _gate.WaitAsync(_stop.Token);
        try
        {
            var daemonSets = _store.List(ResourceKind.DaemonSets, null).Items;
            var byUid = daemonSets.ToDictionary(d => (string)d["metadata"]!["uid"]!);
            foreach (var pod in AgentPods())
            {
                if (!byUid.ContainsKey((string?)OwnerOf(pod)?["uid"] ?? string.Empty))
                {
                    MarkDeleted(pod);
                }
            }

            foreach (var ds in daemonSets)
            {
                EnsurePods(ds);
            }

            foreach (var pod in AgentPods())
            {
                await SyncPodAsync(pod);
            }

            foreach (var ds in daemonSets)
            {
                UpdateDaemonSetStatus(ds);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log($"reconcile failed: {ex}");
        }
        finally
        {
            _gate.Release();
        }
    }

    private void EnsurePods(JsonObject ds)
    {
        var uid = (string)ds["metadata"]!["uid"]!;
        var ns = ObjectStore.NamespaceOf(ds);
        var generation = (JsonNumbers.Long(ds["metadata"]!["generation"]) ?? 1).ToString(CultureInfo.InvariantCulture);
        var template = ds["spec"]?["template"] as JsonObject ?? [];
        var templatePod = new JsonObject { ["spec"] = template["spec"]?.DeepClone() };
        var pods = AgentPods().Where(p => (string?)OwnerOf(p)?["uid"] == uid && p["metadata"]!["deletionTimestamp"] is null).ToList();
        foreach (var node in _nodes)
        {
            var onNode = pods.Where(p => (string?)p["spec"]?["nodeName"] == node.Name).ToList();
            if (!LabKubelet.Fits(templatePod, node))
            {
                onNode.ForEach(MarkDeleted);
                continue;
            }

            var current = onNode.Where(p => (string?)p["metadata"]?["labels"]?[GenerationLabel] == generation).ToList();
            foreach (var stale in onNode.Except(current).Concat(current.Skip(1)))
            {
                MarkDeleted(stale);
            }

            if (current.Count > 0)
            {
                continue;
            }

            var labels = template["metadata"]?["labels"]?.DeepClone() as JsonObject ?? [];
            labels[GenerationLabel] = generation;
            labels["controller-revision-hash"] = "lab" + generation;
            var spec = (JsonObject)(template["spec"]?.DeepClone() ?? new JsonObject());
            spec["nodeName"] = node.Name;
            var created = _store.Create(ResourceKind.Pods, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = PodName(ObjectStore.NameOf(ds)),
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
            _events.Record(ds, "Normal", "SuccessfulCreate", $"Created pod: {ObjectStore.NameOf(created)}", "daemonset-controller");
        }
    }

    private async Task SyncPodAsync(JsonObject pod)
    {
        var uid = (string)pod["metadata"]!["uid"]!;
        var node = (string?)pod["spec"]?["nodeName"] ?? string.Empty;
        if (pod["metadata"]!["deletionTimestamp"] is not null)
        {
            if (_running.TryRemove(uid, out var stopping))
            {
                await stopping.DisposeAsync();
                _events.Record(pod, "Normal", "Killing", "Stopping the node agent's processes");
            }

            try
            {
                _store.Remove(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod));
            }
            catch (ApiException)
            {
            }

            return;
        }

        var fault = _faults.GetValueOrDefault(node);
        if (fault is null && !_running.ContainsKey(uid) && _host is not null)
        {
            try
            {
                var agent = await _host.StartAsync(pod, () => _changes.Writer.TryWrite(true), _stop.Token);
                _running[uid] = agent;
                if (agent.DroppedRadarArgs.Count > 0)
                {
                    Log($"{ObjectStore.NameOf(pod)}: radar does not know {string.Join(' ', agent.DroppedRadarArgs)}; dropped");
                }

                _events.Record(pod, "Normal", "Started", $"Started the node agent on {node}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                fault = new AgentFault("RunContainerError", ex.Message);
            }
        }

        if (fault is not null && _events is not null && (string?)pod["status"]?["containerStatuses"]?[0]?["state"]?["waiting"]?["reason"] != fault.Reason)
        {
            _events.Record(pod, "Warning", "Failed", $"Error: {fault.Reason}: {fault.Message}");
        }

        UpdatePodStatus(pod, _running.GetValueOrDefault(uid), fault);
    }
}
