using System.Globalization;
using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Kubelet;

/// <content>Reconciling one pod: schedule, create and start containers, restart dead ones, report status, delete.</content>
internal sealed partial class LabKubelet
{
    private static readonly TimeSpan s_restartGrace = TimeSpan.FromSeconds(1);

    private async Task ReconcileAsync(PodRecord record)
    {
        var pod = _store.Get(ResourceKind.Pods, record.Namespace, record.Name);
        if (pod is not null && record.Uid is not null && record.Uid != (string?)pod["metadata"]?["uid"])
        {
            // Same name, new pod: the old one's containers go.
            await RemoveContainersAsync(record);
        }

        if (pod is null)
        {
            await RemoveContainersAsync(record);
            _pods.TryRemove(Key(record.Namespace, record.Name), out _);
            return;
        }

        if ((pod["metadata"]?["ownerReferences"] as JsonArray)?.Any(o => (string?)o?["kind"] == "DaemonSet") == true)
        {
            return;
        }

        record.Uid = (string?)pod["metadata"]!["uid"];
        if (pod["metadata"]!["deletionTimestamp"] is not null)
        {
            await RemoveContainersAsync(record);
            if ((string?)pod["spec"]?["nodeName"] is string node)
            {
                TryDeleteDirectory(PodDirectory(node, record.Uid!));
            }

            try
            {
                _store.Remove(ResourceKind.Pods, record.Namespace, record.Name);
            }
            catch (ApiException)
            {
            }

            return;
        }

        if (string.IsNullOrEmpty((string?)pod["spec"]?["nodeName"]))
        {
            Schedule(pod);
            return;
        }

        var restartPolicy = (string?)pod["spec"]?["restartPolicy"] ?? "Always";
        var waiting = new Dictionary<string, (string Reason, string Message)>();
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string)container["name"]!;
            if (!record.Containers.TryGetValue(name, out var current))
            {
                var created = await CreateContainerAsync(pod, container, 0);
                if (created.Error is not null)
                {
                    waiting[name] = created.Error.Value;
                    continue;
                }

                record.Containers[name] = created.Record!;
                await StartAsync(pod, name, created.Record!);
                continue;
            }

            var state = await InspectAsync(current.Id);
            if (state is { Running: false, Exists: true } && restartPolicy != "Never" && !(restartPolicy == "OnFailure" && state.ExitCode == 0))
            {
                // Give an outside restart (radar's docker restart) a moment; then restart as the kubelet does: a new container.
                var died = record.DiedAt.GetValueOrDefault(name, DateTime.UtcNow);
                var wait = s_restartGrace - (DateTime.UtcNow - died);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token);
                }

                state = await InspectAsync(current.Id);
                if (!state.Running)
                {
                    var replacement = await CreateContainerAsync(pod, container, current.Attempt + 1);
                    if (replacement.Record is not null)
                    {
                        record.Containers[name] = replacement.Record;
                        record.LastTerminated[name] = state;
                        await _engine.CliAsync(["rm", "-f", current.Id]);
                        await StartAsync(pod, name, replacement.Record);
                        _events.Record(pod, "Normal", "Started", $"Restarted container {name} (exit code {state.ExitCode})");
                    }
                }
            }
            else if (state is { Exists: false })
            {
                record.Containers.TryRemove(name, out _);
                Trigger(record.Namespace, record.Name);
            }
        }

        await UpdateStatusAsync(pod, record, waiting);
    }

    private void Schedule(JsonObject pod)
    {
        var candidates = _nodes.Where(n => Fits(pod, n)).ToList();
        if (candidates.Count == 0)
        {
            _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
            {
                p["status"] = new JsonObject
                {
                    ["phase"] = "Pending",
                    ["conditions"] = new JsonArray(Condition("PodScheduled", false, "Unschedulable", "0/N nodes are available: no node matches the pod's node selector and tolerations.")),
                };
                return true;
            });
            _events.Record(pod, "Warning", "FailedScheduling", "no lab node matches the pod's node selector and tolerations", "default-scheduler");
            return;
        }

        var node = candidates[Interlocked.Increment(ref _nextNode) % candidates.Count].Name;
        _store.Mutate(ResourceKind.Pods, ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod), p =>
        {
            p["spec"]!["nodeName"] = node;
            p["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(Condition("PodScheduled", true)),
            };
            return true;
        });
        _events.Record(pod, "Normal", "Scheduled", $"Successfully assigned {ObjectStore.NamespaceOf(pod)}/{ObjectStore.NameOf(pod)} to {node}", "default-scheduler");
    }

    /// <summary>Whether a pod may run on a node: nodeSelector labels and NoSchedule/NoExecute taints.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <returns>True when it fits.</returns>
    public static bool Fits(JsonObject pod, LabNode node)
    {
        if (pod["spec"]?["nodeSelector"] is JsonObject selector)
        {
            foreach (var (key, value) in selector)
            {
                var actual = key switch
                {
                    "kubernetes.io/os" => "linux",
                    "kubernetes.io/hostname" => node.Name,
                    _ => null,
                };
                if (actual != (string?)value)
                {
                    return false;
                }
            }
        }

        if (!node.Tainted)
        {
            return true;
        }

        return (pod["spec"]?["tolerations"] as JsonArray ?? []).OfType<JsonObject>().Any(t =>
            ((string?)t["operator"] == "Exists" && ((string?)t["key"] is null or "" or LabCluster.TaintKey))
            || ((string?)t["key"] == LabCluster.TaintKey && (string?)t["value"] == LabCluster.TaintValue));
    }

    private static JsonObject Condition(string type, bool status, string? reason = null, string? message = null)
    {
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status ? "True" : "False",
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = ObjectStore.Now(),
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }

    private async Task StartAsync(JsonObject pod, string name, ContainerRecord container)
    {
        if (_pods.TryGetValue(Key(ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod)), out var record))
        {
            record.SelfStarted[container.Id] = true;
            record.Starts.AddOrUpdate(name, 1, (_, n) => n + 1);
        }

        var started = await _engine.CliAsync(["start", container.Id]);
        if (started.ExitCode == 0)
        {
            _events.Record(pod, "Normal", "Started", $"Started container {name}");
        }
        else
        {
            _events.Record(pod, "Warning", "Failed", $"Error: failed to start container {name}: {started.Stderr.Trim()}");
        }
    }

    private async Task RemoveContainersAsync(PodRecord record)
    {
        var ids = record.Containers.Values.Select(c => c.Id).ToList();
        record.Containers.Clear();
        record.Starts.Clear();
        record.LastTerminated.Clear();
        if (ids.Count > 0)
        {
            await _engine.CliAsync(["rm", "-f", "-v", .. ids]);
        }
    }

    private async Task<ContainerState> InspectAsync(string id)
    {
        var result = await _engine.CliAsync(["inspect", "-f", "{{json .State}}", id]);
        if (result.ExitCode != 0 || JsonNode.Parse(result.Stdout) is not JsonObject state)
        {
            return new ContainerState(false, false, 0, null, null, null);
        }

        return new ContainerState(
            true,
            (bool?)state["Running"] == true,
            (int?)state["ExitCode"] ?? 0,
            (string?)state["StartedAt"],
            (string?)state["FinishedAt"],
            (string?)state["Error"]);
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Time(string? dockerTime)
        => DateTime.TryParse(dockerTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t) && t.Year > 1
            ? t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : ObjectStore.Now();
}
