using System.Globalization;
using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.Lab.Nodes;

namespace KSync.Lab.Kubelet;

/// <content>The pod status the kubelet reports (Kubernetes API reference: PodStatus, ContainerStatus).</content>
internal sealed partial class NodeKubelet
{
    private async Task UpdateStatusAsync(JsonObject pod, PodRecord record, CancellationToken token)
    {
        var statuses = new JsonArray();
        var allRunning = true;
        var allDone = true;
        var anyFailed = false;
        var allReady = true;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string)container["name"]!;
            var status = new JsonObject
            {
                ["name"] = name,
                ["image"] = (string?)container["image"],
                ["imageID"] = string.Empty,
                ["restartCount"] = Math.Max(0, record.Starts.GetValueOrDefault(name) - 1),
                ["ready"] = false,
                ["started"] = false,
                ["lastState"] = record.LastTerminated.TryGetValue(name, out var last)
                    ? new JsonObject { ["terminated"] = Terminated(last, record.Previous.GetValueOrDefault(name)?.Id) }
                    : new JsonObject(),
            };
            var engineState = record.Containers.TryGetValue(name, out var current) ? await Engine.InspectAsync(current.Id, token) : null;
            if (current is not null && engineState is { Exists: true })
            {
                status["containerID"] = $"{Engine.Scheme}://{current.Id}";
                status["imageID"] = current.Image;
                if (engineState.Running)
                {
                    var ready = container["readinessProbe"] is null || record.Ready.GetValueOrDefault(name);
                    status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Time(engineState.StartedAt) } };
                    status["ready"] = ready;
                    status["started"] = true;
                    allReady &= ready;
                    allDone = false;
                }
                else
                {
                    allRunning = false;
                    allReady = false;
                    anyFailed |= engineState.ExitCode != 0;
                    status["state"] = engineState.StartedAt is null
                        ? new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } }
                        : new JsonObject { ["terminated"] = Terminated(engineState, current.Id) };
                }
            }
            else
            {
                allRunning = false;
                allReady = false;
                allDone = false;
                var (reason, message) = record.Waiting.GetValueOrDefault(name, ("ContainerCreating", string.Empty));
                status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } };
            }

            statuses.Add(status);
        }

        var restartPolicy = (string?)pod["spec"]?["restartPolicy"] ?? "Always";
        var phase = allRunning ? "Running"
            : allDone && restartPolicy == "Never" ? (anyFailed ? "Failed" : "Succeeded")
            : allDone && restartPolicy == "OnFailure" && !anyFailed ? "Succeeded"
            : record.Starts.IsEmpty ? "Pending" : "Running";
        var hostNetwork = (bool?)pod["spec"]?["hostNetwork"] == true;
        var podIp = hostNetwork ? "127.0.0.1" : record.PodIp;
        var hasResources = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Any(c => c["resources"] is JsonObject { Count: > 0 });
        _store.Mutate(ResourceKind.Pods, record.Namespace, record.Name, p =>
        {
            if ((string?)p["metadata"]?["uid"] != record.Uid || p["metadata"]?["deletionTimestamp"] is not null)
            {
                return false;
            }

            var previous = p["status"] as JsonObject;
            var next = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(
                    Condition(previous, "PodReadyToStartContainers", record.SandboxId is not null),
                    Condition(previous, "Initialized", true),
                    Condition(previous, "Ready", allRunning && allReady),
                    Condition(previous, "ContainersReady", allRunning && allReady),
                    Condition(previous, "PodScheduled", true)),
                ["hostIP"] = "127.0.0.1",
                ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }),
                ["startTime"] = (string?)previous?["startTime"] ?? ObjectStore.Now(),
                ["containerStatuses"] = statuses,
                ["qosClass"] = hasResources ? "Burstable" : "BestEffort",
            };
            if (podIp.Length > 0)
            {
                next["podIP"] = podIp;
                next["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp });
            }

            p["status"] = next;
            return true;
        });
    }

    private static JsonObject Condition(JsonObject? previous, string type, bool status)
    {
        var text = status ? "True" : "False";
        var old = (previous?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

        // Keep transition times when nothing changed, so an unchanged pod produces no watch event.
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = text,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = (string?)old?["status"] == text ? (string?)old?["lastTransitionTime"] : ObjectStore.Now(),
        };
    }

    private static JsonObject Terminated(EngineState state, string? id)
    {
        var terminated = new JsonObject
        {
            ["exitCode"] = state.ExitCode,
            ["reason"] = state.Reason is "OOMKilled" ? "OOMKilled" : state.ExitCode == 0 ? "Completed" : "Error",
            ["startedAt"] = Time(state.StartedAt),
            ["finishedAt"] = Time(state.FinishedAt),
        };
        if (id is not null)
        {
            terminated["containerID"] = id;
        }

        return terminated;
    }

    private static string Time(DateTime? time)
        => (time ?? DateTime.UtcNow).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
