using System.Globalization;
using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Agents;

/// <content>Agent pod status, readiness probes and DaemonSet status.</content>
internal sealed partial class NodeAgents
{
    private readonly System.Threading.Channels.Channel<bool> _changes = System.Threading.Channels.Channel.CreateUnbounded<bool>();

    private void UpdatePodStatus(JsonObject pod, AgentPod? agent, AgentFault? fault)
    {
        var statuses = new JsonArray();
        var allReady = true;
        var allRunning = true;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string)container["name"]!;
            var process = agent?.Containers.GetValueOrDefault(name);
            var ready = process?.Pid is not null && agent!.Ready.GetValueOrDefault(name);
            var status = new JsonObject
            {
                ["name"] = name,
                ["image"] = (string?)container["image"],
                ["imageID"] = string.Empty,
                ["restartCount"] = process?.RestartCount ?? 0,
                ["ready"] = ready,
                ["started"] = process?.Pid is not null,
                ["lastState"] = process?.LastExit is { } last
                    ? new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = last.ExitCode, ["reason"] = "Error", ["message"] = last.Tail } }
                    : new JsonObject(),
            };
            if (process?.Pid is not null)
            {
                status["containerID"] = "docker://" + agent!.SandboxId;
                status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = process.StartedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) } };
            }
            else
            {
                allRunning = false;
                var (reason, message) = fault is not null ? (fault.Reason, fault.Message)
                    : process?.LastExit is { } exit ? ("CrashLoopBackOff", $"exit code {exit.ExitCode}: {exit.Tail}")
                    : ("ContainerCreating", string.Empty);
                status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } };
            }

            allReady &= ready;
            statuses.Add(status);
        }

        _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
        {
            if (p["metadata"]!["deletionTimestamp"] is not null)
            {
                return false;
            }

            var previous = p["status"] as JsonObject;
            var conditions = new JsonArray(
                Condition(previous, "PodScheduled", true),
                Condition(previous, "Initialized", true),
                Condition(previous, "ContainersReady", allReady),
                Condition(previous, "Ready", allReady));
            p["status"] = new JsonObject
            {
                ["phase"] = allRunning ? "Running" : "Pending",
                ["conditions"] = conditions,
                ["hostIP"] = "127.0.0.1",
                ["podIP"] = "127.0.0.1",
                ["startTime"] = (string?)previous?["startTime"] ?? ObjectStore.Now(),
                ["containerStatuses"] = statuses,
                ["qosClass"] = "Burstable",
            };
            return true;
        });
    }

    private static JsonObject Condition(JsonObject? previous, string type, bool status)
    {
        var text = status ? "True" : "False";
        var old = (previous?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = text,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = (string?)old?["status"] == text ? (string?)old?["lastTransitionTime"] : ObjectStore.Now(),
        };
    }

    private void UpdateDaemonSetStatus(JsonObject ds)
    {
        var uid = (string)ds["metadata"]!["uid"]!;
        var generation = (JsonNumbers.Long(ds["metadata"]!["generation"]) ?? 1).ToString(CultureInfo.InvariantCulture);
        var pods = AgentPods().Where(p => (string?)OwnerOf(p)?["uid"] == uid && p["metadata"]!["deletionTimestamp"] is null).ToList();
        var templatePod = new JsonObject { ["spec"] = ds["spec"]?["template"]?["spec"]?.DeepClone() };
        var desired = _nodes.Count(n => Kubelet.LabKubelet.Fits(templatePod, n));
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

    private async Task ProbeLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            foreach (var agent in _running.Values.ToList())
            {
                var ready = await agent.ProbeAsync(_stop.Token);
                if (!ready.OrderBy(p => p.Key).SequenceEqual(agent.Ready.OrderBy(p => p.Key)))
                {
                    agent.Ready = ready;
                    _changes.Writer.TryWrite(true);
                }
            }
        }
    }
}
