using System.Globalization;
using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Kubelet;

/// <content>Creating engine containers from pod specs, and the pod status they produce.</content>
internal sealed partial class LabKubelet
{
    private async Task<(ContainerRecord? Record, (string Reason, string Message)? Error)> CreateContainerAsync(JsonObject pod, JsonObject container, int attempt)
    {
        var ns = ObjectStore.NamespaceOf(pod);
        var podName = ObjectStore.NameOf(pod);
        var uid = (string)pod["metadata"]!["uid"]!;
        var node = (string)pod["spec"]!["nodeName"]!;
        var name = (string)container["name"]!;
        var image = (string?)container["image"] ?? string.Empty;
        var imageInfo = await _engine.CliAsync(["image", "inspect", "-f", "{{json .Config}}", image]);
        if (imageInfo.ExitCode != 0)
        {
            var message = $"lab: image \"{image}\" is not in the lab's engine (no registry is reachable); import it first";
            _events.Record(pod, "Warning", "Failed", $"Failed to pull image \"{image}\": {message}");
            return (null, ("ErrImagePull", message));
        }

        var config = JsonNode.Parse(imageInfo.Stdout) as JsonObject;
        var args = new List<string>
        {
            "create", "--name", $"k8s_{name}_{podName}_{ns}_{uid}_{attempt}", "--network", "none",
            "--label", $"{LabLabel}={_labId}",
            "--label", $"io.kubernetes.pod.name={podName}",
            "--label", $"io.kubernetes.pod.namespace={ns}",
            "--label", $"io.kubernetes.pod.uid={uid}",
            "--label", $"io.kubernetes.container.name={name}",
            "--label", $"lab.ksync.dev/node={node}",
        };
        foreach (var env in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)env["value"] is string value)
            {
                args.AddRange(["-e", $"{(string?)env["name"]}={value}"]);
            }
        }

        if ((string?)container["workingDir"] is { Length: > 0 } workingDir)
        {
            args.AddRange(["-w", workingDir]);
        }

        var volumes = (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(v => (string)v["name"]!);
        foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (!volumes.TryGetValue((string)mount["name"]!, out var volume))
            {
                return (null, ("CreateContainerConfigError", $"volume \"{(string?)mount["name"]}\" is not defined"));
            }

            string source;
            if (volume["emptyDir"] is not null)
            {
                source = Path.Combine(PodDirectory(node, uid), "volumes", "kubernetes.io~empty-dir", (string)volume["name"]!);
            }
            else if ((string?)volume["hostPath"]?["path"] is string hostPath)
            {
                source = hostPath;
            }
            else
            {
                return (null, ("CreateContainerConfigError", $"lab: volume \"{(string?)volume["name"]}\" has a type the lab does not support (only emptyDir and hostPath)"));
            }

            Directory.CreateDirectory(source);
            var readOnly = (bool?)mount["readOnly"] == true ? ":ro" : string.Empty;
            args.AddRange(["-v", $"{source}:{(string)mount["mountPath"]!}{readOnly}"]);
        }

        // Kubernetes: command replaces the image's ENTRYPOINT, args its CMD (Kubernetes docs: "Define a Command and
        // Arguments for a Container").
        var command = (container["command"] as JsonArray)?.Select(n => (string)n!).ToList() ?? [];
        var commandArgs = (container["args"] as JsonArray)?.Select(n => (string)n!).ToList();
        var hasImageCommand = config?["Entrypoint"] is JsonArray { Count: > 0 } || config?["Cmd"] is JsonArray { Count: > 0 };
        if (command.Count == 0 && commandArgs is null && !hasImageCommand)
        {
            command = [.. IdleCommand];
        }

        if (command.Count > 0)
        {
            args.AddRange(["--entrypoint", command[0]]);
        }

        args.Add(image);
        args.AddRange(command.Skip(1));
        args.AddRange(commandArgs ?? []);
        var created = await _engine.CliAsync(args);
        if (created.ExitCode != 0)
        {
            var message = created.Stderr.Trim();
            _events.Record(pod, "Warning", "Failed", $"Error: {message}");
            return (null, ("CreateContainerError", message));
        }

        _events.Record(pod, "Normal", "Created", $"Created container {name}");
        return (new ContainerRecord(created.Stdout.Trim(), image, attempt), null);
    }

    private async Task UpdateStatusAsync(JsonObject pod, PodRecord record, Dictionary<string, (string Reason, string Message)> waiting)
    {
        var statuses = new JsonArray();
        var allRunning = true;
        var allDone = true;
        var anyFailed = false;
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
            };
            if (record.LastTerminated.TryGetValue(name, out var last))
            {
                status["lastState"] = new JsonObject { ["terminated"] = Terminated(last, null) };
            }
            else
            {
                status["lastState"] = new JsonObject();
            }

            if (record.Containers.TryGetValue(name, out var engineContainer))
            {
                var state = await InspectAsync(engineContainer.Id);
                status["containerID"] = "docker://" + engineContainer.Id;
                if (state.Running)
                {
                    status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Time(state.StartedAt) } };
                    status["ready"] = true;
                    status["started"] = true;
                    allDone = false;
                }
                else
                {
                    allRunning = false;
                    anyFailed |= state.ExitCode != 0;
                    status["state"] = state.StartedAt is null || state.StartedAt.StartsWith("0001", StringComparison.Ordinal)
                        ? new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } }
                        : new JsonObject { ["terminated"] = Terminated(state, engineContainer.Id) };
                }
            }
            else
            {
                allRunning = false;
                allDone = false;
                var (reason, message) = waiting.GetValueOrDefault(name, ("ContainerCreating", string.Empty));
                status["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } };
            }

            statuses.Add(status);
        }

        var restartPolicy = (string?)pod["spec"]?["restartPolicy"] ?? "Always";
        var phase = allRunning ? "Running"
            : allDone && restartPolicy == "Never" ? (anyFailed ? "Failed" : "Succeeded")
            : allDone && restartPolicy == "OnFailure" && !anyFailed ? "Succeeded"
            : record.Containers.IsEmpty ? "Pending" : "Running";
        _store.Mutate(ResourceKind.Pods, record.Namespace, record.Name, p =>
        {
            if ((string?)p["metadata"]?["uid"] != record.Uid || p["metadata"]?["deletionTimestamp"] is not null)
            {
                return false;
            }

            var previous = p["status"] as JsonObject;
            p["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(
                    Condition("PodScheduled", true),
                    Condition("Initialized", true),
                    Condition("ContainersReady", allRunning),
                    Condition("Ready", allRunning)),
                ["hostIP"] = "127.0.0.1",
                ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "127.0.0.1" }),
                ["startTime"] = (string?)previous?["startTime"] ?? ObjectStore.Now(),
                ["containerStatuses"] = statuses,
                ["qosClass"] = "BestEffort",
            };

            // Keep transition times stable when nothing changed, so an unchanged pod produces no event.
            if (previous?["conditions"] is JsonArray oldConditions)
            {
                foreach (var condition in ((JsonArray)p["status"]!["conditions"]!).OfType<JsonObject>())
                {
                    var old = oldConditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == (string?)condition["type"]);
                    if (old is not null && (string?)old["status"] == (string?)condition["status"])
                    {
                        condition["lastTransitionTime"] = old["lastTransitionTime"]?.DeepClone();
                    }
                }
            }

            return true;
        });
    }

    private static JsonObject Terminated(ContainerState state, string? id)
    {
        var terminated = new JsonObject
        {
            ["exitCode"] = state.ExitCode,
            ["reason"] = state.ExitCode == 0 ? "Completed" : "Error",
            ["startedAt"] = Time(state.StartedAt),
            ["finishedAt"] = Time(state.FinishedAt),
        };
        if (id is not null)
        {
            terminated["containerID"] = "docker://" + id;
        }

        return terminated;
    }

    /// <summary>Formats a number for the API.</summary>
    /// <param name="value">The number.</param>
    /// <returns>Invariant text.</returns>
    internal static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
