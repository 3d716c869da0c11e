using System.Text.Json.Nodes;
using Grpc.Core;
using KSync.Lab.Api;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.Lab.Kubelet;

/// <content>Reconciling one pod: sandbox, containers, restarts with back-off, deletion.</content>
internal sealed partial class NodeKubelet
{
    private static readonly TimeSpan s_outsideRestartGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Handles a Docker engine event of a pod container (start, die, destroy), as the PLEG follows the runtime.</summary>
    /// <param name="action">The event's action.</param>
    /// <param name="id">Container ID.</param>
    /// <param name="attributes">The container's labels.</param>
    public void OnDockerEvent(string action, string id, JsonObject attributes)
    {
        var ns = (string?)attributes["io.kubernetes.pod.namespace"];
        var name = (string?)attributes["io.kubernetes.pod.name"];
        var container = (string?)attributes["io.kubernetes.container.name"];
        if (ns is null || name is null || container is null || container == "POD" || Find(ns, name) is not PodRecord record)
        {
            return;
        }

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

    private async Task ReconcileAsync(PodRecord record)
    {
        var token = _stop.Token;
        var pod = _store.Get(ResourceKind.Pods, record.Namespace, record.Name);
        if (pod is null || !IsMine(pod) || (record.Uid is not null && record.Uid != (string?)pod["metadata"]?["uid"]))
        {
            var gone = record.Uid;
            await RemoveAllAsync(record, TimeSpan.Zero, token);
            if (gone is not null)
            {
                await RemoveVolumesAsync(gone, token);
            }

            if (pod is null || !IsMine(pod))
            {
                _pods.TryRemove(Key(record.Namespace, record.Name), out _);
                return;
            }
        }

        var uid = (string)pod["metadata"]!["uid"]!;
        record.Uid = uid;
        if (pod["metadata"]!["deletionTimestamp"] is not null)
        {
            var grace = JsonNumbers.Long(pod["metadata"]!["deletionGracePeriodSeconds"]) ?? JsonNumbers.Long(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
            await RemoveAllAsync(record, TimeSpan.FromSeconds(Math.Min(grace, 10)), token);

            await RemoveVolumesAsync(uid, token);
            try
            {
                _store.Remove(ResourceKind.Pods, record.Namespace, record.Name);
            }
            catch (ApiException)
            {
            }

            _pods.TryRemove(Key(record.Namespace, record.Name), out _);
            return;
        }

        if ((string?)pod["status"]?["phase"] is "Succeeded" or "Failed")
        {
            return;
        }

        if (record.SandboxId is null && !await RunSandboxAsync(pod, record, token))
        {
            await UpdateStatusAsync(pod, record, token);
            return;
        }

        var restartPolicy = (string?)pod["spec"]?["restartPolicy"] ?? "Always";
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string)container["name"]!;
            if (!record.Containers.TryGetValue(name, out var current))
            {
                if (!record.Starts.ContainsKey(name) || InBackoff(record, name))
                {
                    if (!record.Starts.ContainsKey(name))
                    {
                        await CreateAndStartAsync(pod, record, container, 0, token);
                    }

                    continue;
                }

                await CreateAndStartAsync(pod, record, container, (record.Previous.GetValueOrDefault(name)?.Attempt ?? -1) + 1, token);
                continue;
            }

            var state = await Engine.InspectAsync(current.Id, token);
            if (!state.Exists)
            {
                record.Containers.TryRemove(name, out _);
                record.Previous[name] = current;
                Trigger(record.Namespace, record.Name);
                continue;
            }

            if (state.Running || restartPolicy == "Never" || (restartPolicy == "OnFailure" && state.ExitCode == 0))
            {
                continue;
            }

            if (Engine.Runtime == NodeRuntime.Docker)
            {
                // Give an outside restart in place (radar's docker restart) a moment before replacing the container.
                var died = record.DiedAt.GetValueOrDefault(name, DateTime.UtcNow);
                var wait = s_outsideRestartGrace - (DateTime.UtcNow - died);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, token);
                }

                state = await Engine.InspectAsync(current.Id, token);
                if (state.Running)
                {
                    continue;
                }
            }

            // Crash-loop back-off: 1 s doubling to 10 s (kubelet: 10 s doubling to 5 min), reset after 10 s of running.
            var ran = state.FinishedAt - state.StartedAt ?? TimeSpan.Zero;
            var previous = record.Backoff.GetValueOrDefault(name);
            var delay = ran > s_maxBackoff || previous.Delay == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(previous.Delay.Ticks * 2, s_maxBackoff.Ticks));
            record.Backoff[name] = (DateTime.UtcNow + delay, delay);
            record.LastTerminated[name] = state;
            if (record.Previous.TryGetValue(name, out var older))
            {
                await Engine.RemoveContainerAsync(older.Id, token);
            }

            record.Previous[name] = current;
            record.Containers.TryRemove(name, out _);
            if (delay > TimeSpan.FromSeconds(1))
            {
                record.Waiting[name] = ("CrashLoopBackOff", $"back-off {delay.TotalSeconds:0}s restarting failed container={name} pod={record.Name}_{record.Namespace}({record.Uid})");
                _events.Record(pod, "Warning", "BackOff", "Back-off restarting failed container " + name);
            }

            _ = Task.Delay(delay, token).ContinueWith(_ => Trigger(record.Namespace, record.Name), TaskScheduler.Default);
        }

        await UpdateStatusAsync(pod, record, token);
    }

    private static bool InBackoff(PodRecord record, string name) => record.Backoff.TryGetValue(name, out var backoff) && backoff.Until > DateTime.UtcNow;

    private async Task<bool> RunSandboxAsync(JsonObject pod, PodRecord record, CancellationToken token)
    {
        var labels = new Dictionary<string, string>
        {
            ["io.kubernetes.pod.name"] = record.Name,
            ["io.kubernetes.pod.namespace"] = record.Namespace,
            ["io.kubernetes.pod.uid"] = record.Uid!,
        };
        var plan = new SandboxPlan(record.Name, record.Namespace, record.Uid!, record.SandboxAttempts, (bool?)pod["spec"]?["hostNetwork"] == true, (bool?)pod["spec"]?["hostPID"] == true, labels);
        try
        {
            var (id, ip) = await Engine.RunSandboxAsync(plan, token);
            record.SandboxId = id;
            record.Sandbox = plan;
            record.PodIp = ip;
            record.SandboxAttempts++;
            Directory.CreateDirectory(Engine.Filesystem.HostPath(PodPlanner.PodDirectory(record.Uid!)));
            return true;
        }
        catch (Exception ex) when (ex is EngineException or RpcException)
        {
            _events.Record(pod, "Warning", "FailedCreatePodSandBox", "Failed to create pod sandbox: " + ex.Message);
            return false;
        }
    }

    private async Task CreateAndStartAsync(JsonObject pod, PodRecord record, JsonObject container, int attempt, CancellationToken token)
    {
        var name = (string)container["name"]!;
        var image = (string?)container["image"] ?? string.Empty;
        var facts = await EnsureImageAsync(pod, record, name, image, token);
        if (facts is null)
        {
            return;
        }

        ContainerPlan plan;
        try
        {
            plan = _planner.Plan(pod, container, attempt, facts, record.PodIp);
        }
        catch (PlanException ex)
        {
            Wait(pod, record, name, ex.Reason, ex.Message, "Error: " + ex.Message);
            return;
        }

        foreach (var (source, target) in plan.VolumeBinds)
        {
            await NodeMountAsync(["sh", "-c", "mountpoint -q \"$1\" || mount --bind \"$0\" \"$1\"", source, target], token);
        }

        string id;
        try
        {
            id = await Engine.CreateContainerAsync(record.SandboxId!, record.Sandbox!, plan, token);
        }
        catch (EngineException ex)
        {
            Wait(pod, record, name, "CreateContainerError", ex.Message, "Error: " + ex.Message);
            return;
        }

        _events.Record(pod, "Normal", "Created", $"Created container {name}");
        record.Waiting.TryRemove(name, out _);
        record.Ready.TryRemove(name, out _);
        record.Containers[name] = new ContainerRecord(id, image, attempt, $"{record.Sandbox!.LogDirectory}/{plan.LogPath}");
        record.SelfStarted[id] = true;
        record.Starts.AddOrUpdate(name, 1, (_, n) => n + 1);
        try
        {
            await Engine.StartContainerAsync(id, token);
            _events.Record(pod, "Normal", "Started", $"Started container {name}");
        }
        catch (EngineException ex)
        {
            record.SelfStarted.TryRemove(id, out _);
            _events.Record(pod, "Warning", "Failed", $"Error: failed to start container \"{name}\": {ex.Message}");
        }
    }

    private async Task<ImageFacts?> EnsureImageAsync(JsonObject pod, PodRecord record, string container, string image, CancellationToken token)
    {
        if (!_blockedImages.ContainsKey(image) && await Engine.InspectImageAsync(image, token) is ImageFacts present)
        {
            return present;
        }

        var archive = _blockedImages.ContainsKey(image) ? null : _registry.Find(image);
        if (archive is null)
        {
            var message = _blockedImages.ContainsKey(image)
                ? $"lab: pulling \"{image}\" fails on {Node.Name} (fault injected)"
                : $"lab: image \"{image}\" is neither on {Node.Name} nor in the lab's registry (no registry is reachable); import it first";
            Wait(pod, record, container, "ErrImagePull", message, $"Failed to pull image \"{image}\": {message}");
            return null;
        }

        _events.Record(pod, "Normal", "Pulling", $"Pulling image \"{image}\"");
        await Engine.LoadImageAsync(archive, token);
        _events.Record(pod, "Normal", "Pulled", $"Successfully pulled image \"{image}\"");
        return await Engine.InspectImageAsync(image, token);
    }

    // The pod's folder on the node goes once the pod is gone, its volume binds unmounted first.
    private async Task RemoveVolumesAsync(string uid, CancellationToken token)
    {
        var podDirectory = PodPlanner.PodDirectory(uid);
        await NodeMountAsync(["sh", "-c", $"awk '{{print $5}}' /proc/self/mountinfo | grep '^{podDirectory}/' | sort -r | xargs -r -n1 umount -l"], token);
        _planner.RemovePodDirectory(uid);
    }

    // Runs a mount command in the node's mount namespace, where the engine and the pods' volumes live.
    private async Task NodeMountAsync(string[] command, CancellationToken token)
    {
        var (nsenter, enter) = NodeFilesystem.Enter(Engine.DaemonPid);
        var result = await ProcessRunner.RunAsync(nsenter, [.. enter, .. command], cancellationToken: token);
        if (result.ExitCode != 0)
        {
            Log($"{string.Join(' ', command)} on the node failed: {result.Stderr.Trim()}");
        }
    }

    // A container that cannot be created waits with a reason; the Warning event is recorded once per reason.
    private void Wait(JsonObject pod, PodRecord record, string container, string reason, string message, string eventMessage)
    {
        var changed = !record.Waiting.TryGetValue(container, out var previous) || previous.Reason != reason;
        record.Waiting[container] = (reason, message);
        if (changed)
        {
            _events.Record(pod, "Warning", "Failed", eventMessage);
        }
    }

    private async Task RemoveAllAsync(PodRecord record, TimeSpan grace, CancellationToken token)
    {
        var current = record.Containers.Values.ToList();
        await Task.WhenAll(current.Select(c => Engine.StopContainerAsync(c.Id, grace, token)));
        foreach (var container in current.Concat(record.Previous.Values))
        {
            await Engine.RemoveContainerAsync(container.Id, token);
        }

        record.Containers.Clear();
        record.Previous.Clear();
        record.Starts.Clear();
        record.LastTerminated.Clear();
        record.Ready.Clear();
        record.Waiting.Clear();
        record.Backoff.Clear();
        if (record.SandboxId is string sandbox)
        {
            await Engine.RemoveSandboxAsync(sandbox, token);
        }

        record.SandboxId = null;
        record.Uid = null;
    }
}
