using System.Text;
using System.Text.Json.Nodes;
using Grpc.Health.V1;
using Grpc.Net.Client;
using KSync.Lab.Api;
using KSync.TestKit;

namespace KSync.Lab.Kubelet;

/// <content>
/// Readiness and liveness probes (Kubernetes docs: "Configure Liveness, Readiness and Startup Probes"): grpc,
/// tcpSocket, httpGet and exec, with initialDelaySeconds, periodSeconds, timeoutSeconds and failureThreshold. A
/// failed liveness probe kills the container, which the kubelet then restarts. Network probes connect to 127.0.0.1
/// inside the pod's network namespace (pods have no routable IP in the lab). Until a readiness probe first
/// succeeds it runs every second at most, instead of every periodSeconds, to keep the lab fast.
/// </content>
internal sealed partial class NodeKubelet
{
    private async Task ProbeLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var record in _pods.Values.ToList())
                {
                    await ProbePodAsync(record);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ProbePodAsync(PodRecord record)
    {
        var pod = _store.Get(ResourceKind.Pods, record.Namespace, record.Name);
        if (pod is null || pod["metadata"]?["deletionTimestamp"] is not null || record.SandboxId is null)
        {
            return;
        }

        var changed = false;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string)container["name"]!;
            if (!record.Containers.TryGetValue(name, out var current))
            {
                continue;
            }

            foreach (var kind in new[] { "readinessProbe", "livenessProbe" })
            {
                if (container[kind] is not JsonObject probe)
                {
                    continue;
                }

                var key = $"{name}/{kind}";
                var period = TimeSpan.FromSeconds(JsonNumbers.Long(probe["periodSeconds"]) ?? 10);
                if (kind == "readinessProbe" && !record.Ready.GetValueOrDefault(name))
                {
                    period = TimeSpan.FromTicks(Math.Min(period.Ticks, TimeSpan.FromSeconds(1).Ticks));
                }

                // The container's state is read only for a probe that is due: the loop ticks every 250 ms for every pod.
                if (record.LastProbe.TryGetValue(key, out var last) && DateTime.UtcNow - last < period)
                {
                    continue;
                }

                var state = await Engine.InspectAsync(current.Id, _stop.Token);
                if (!state.Running || state.StartedAt is not DateTime started
                    || DateTime.UtcNow - started < TimeSpan.FromSeconds(JsonNumbers.Long(probe["initialDelaySeconds"]) ?? 0))
                {
                    continue;
                }

                record.LastProbe[key] = DateTime.UtcNow;
                var ok = await RunProbeAsync(record, current.Id, probe);
                var failures = ok ? 0 : record.ProbeFailures.AddOrUpdate(key, 1, (_, n) => n + 1);
                if (ok)
                {
                    record.ProbeFailures[key] = 0;
                }

                var threshold = JsonNumbers.Long(probe["failureThreshold"]) ?? 3;
                if (kind == "readinessProbe")
                {
                    var ready = ok || (record.Ready.GetValueOrDefault(name) && failures < threshold);
                    if (record.Ready.GetValueOrDefault(name) != ready || !record.Ready.ContainsKey(name))
                    {
                        record.Ready[name] = ready;
                        changed = true;
                    }
                }
                else if (!ok)
                {
                    _events.Record(pod, "Warning", "Unhealthy", $"Liveness probe failed ({failures}/{threshold})");
                    if (failures >= threshold)
                    {
                        _events.Record(pod, "Normal", "Killing", $"Container {name} failed liveness probe, will be restarted");
                        record.ProbeFailures[key] = 0;
                        await Engine.StopContainerAsync(current.Id, TimeSpan.FromSeconds(JsonNumbers.Long(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30), _stop.Token);
                        changed = true;
                    }
                }
            }
        }

        if (changed)
        {
            Trigger(record.Namespace, record.Name);
        }
    }

    private async Task<bool> RunProbeAsync(PodRecord record, string containerId, JsonObject probe)
    {
        var timeout = TimeSpan.FromSeconds(JsonNumbers.Long(probe["timeoutSeconds"]) ?? 1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(timeout);
        var pod = new JsonObject { ["metadata"] = new JsonObject { ["name"] = record.Name, ["namespace"] = record.Namespace } };
        try
        {
            if (probe["grpc"] is JsonObject grpc)
            {
                var port = (int)JsonNumbers.Long(grpc["port"])!;
                using var channel = GrpcChannel.ForAddress("http://127.0.0.1:" + port, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { ConnectCallback = (_, ct) => new ValueTask<Stream>(ConnectAsync(pod, port, ct)) },
                });
                var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = (string?)grpc["service"] ?? string.Empty }, cancellationToken: cts.Token);
                return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            }

            if (probe["tcpSocket"] is JsonObject tcp)
            {
                await using var stream = await ConnectAsync(pod, (int)JsonNumbers.Long(tcp["port"])!, cts.Token);
                return true;
            }

            if (probe["httpGet"] is JsonObject http)
            {
                var port = (int)JsonNumbers.Long(http["port"])!;
                await using var stream = await ConnectAsync(pod, port, cts.Token);
                var request = Encoding.ASCII.GetBytes($"GET {(string?)http["path"] ?? "/"} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: kube-probe/1.32\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(request, cts.Token);
                var buffer = new byte[64];
                var read = await stream.ReadAsync(buffer, cts.Token);
                var line = Encoding.ASCII.GetString(buffer, 0, read);
                return line.Length >= 12 && int.TryParse(line.AsSpan(9, 3), out var code) && code is >= 200 and < 400;
            }

            if (probe["exec"]?["command"] is JsonArray command)
            {
                var (file, args) = Engine.ExecCommand(containerId, [.. command.Select(c => (string)c!)], tty: false);
                var result = await ProcessRunner.RunAsync(file, args, timeout: timeout, cancellationToken: _stop.Token);
                return result.ExitCode == 0;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            return false;
        }

        return false;
    }
}
