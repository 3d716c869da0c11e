using Grpc.Core;
using KSync.Plugin.Cluster;
using KSync.Plugin.Errors;
using KSync.Proto.Radar.V1;

namespace KSync.Plugin.Doctor;

/// <content>Checks of what init made: the DaemonSet, the agents, and radar on every node.</content>
internal static partial class DoctorChecks
{
    private static async Task<CheckResult> DaemonSetAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.IsReachable)
        {
            return CheckResult.Skip("needs a cluster connection");
        }

        try
        {
            var installer = new ClusterInstaller(context.Connection!, TextWriter.Null);
            context.Nodes = await installer.NodeStatusesAsync(context.AgentNamespace, includeEvents: true, cancellationToken);
            context.HasDaemonSet = true;
            return CheckResult.Pass($"{context.AgentNamespace}/ksync exists");
        }
        catch (KsyncException ex)
        {
            return CheckResult.Fail(ex.Message, ex.Hint);
        }
    }

    private static Task<CheckResult> HealthAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (context.Nodes is not { } nodes)
        {
            return Task.FromResult(CheckResult.Skip("needs the DaemonSet"));
        }

        if (nodes.Count == 0)
        {
            return Task.FromResult(CheckResult.Fail("the DaemonSet runs on no node (nodeSelector or taints exclude them all)"));
        }

        var bad = nodes.Where(n => !n.IsReady).ToList();
        return Task.FromResult(bad.Count == 0
            ? CheckResult.Pass($"ready on {nodes.Count}/{nodes.Count} nodes")
            : CheckResult.Fail($"not ready on {bad.Count}/{nodes.Count} nodes: " + string.Join("; ", bad.Select(n => $"{n.NodeName}: {n.Reason}"))));
    }

    private static Task<CheckResult> RadarVersionAsync(DoctorContext context, string node, CancellationToken cancellationToken)
        => WithRadarAsync(context, node, "GetVersionInfo", async radar =>
        {
            var info = await radar.Client.GetVersionInfoAsync(new GetVersionInfoRequest(), deadline: Deadline(), cancellationToken: cancellationToken);
            var mine = BuildInfo.Current.Version;
            return info.Version == mine
                ? CheckResult.Pass($"radar {info.Version} ({info.Platform})")
                : CheckResult.Fail($"radar {info.Version}, this plugin {mine}");
        }, cancellationToken);

    private static Task<CheckResult> RuntimeAsync(DoctorContext context, string node, CancellationToken cancellationToken)
        => WithRadarAsync(context, node, "GetRuntimeInfo", async radar =>
        {
            var info = await radar.Client.GetRuntimeInfoAsync(new GetRuntimeInfoRequest(), deadline: Deadline(), cancellationToken: cancellationToken);
            var available = info.Backends.Where(b => b.Available).ToList();
            return available.Count > 0
                ? CheckResult.Pass(string.Join(", ", available.Select(b => $"{b.Name} {b.Version} (API {b.ApiVersion})")))
                : CheckResult.Fail("no runtime answers: " + string.Join("; ", info.Backends.Select(b => $"{b.Name}: {b.Error}")));
        }, cancellationToken);

    private static Task<CheckResult> StorageAsync(DoctorContext context, string node, CancellationToken cancellationToken)
        => WithRadarAsync(context, node, "GetRuntimeInfo", async radar =>
        {
            var info = await radar.Client.GetRuntimeInfoAsync(new GetRuntimeInfoRequest(), deadline: Deadline(), cancellationToken: cancellationToken);
            var drivers = info.Backends.Where(b => b.Available && b.StorageDriver.Length > 0).Select(b => $"{b.Name}: {b.StorageDriver} at {b.RootDir}").ToList();
            return drivers.Count > 0 ? CheckResult.Pass(string.Join(", ", drivers)) : CheckResult.Fail("no available runtime reports a storage driver");
        }, cancellationToken);

    private static Task<CheckResult> TestPathAsync(DoctorContext context, string node, CancellationToken cancellationToken)
        => WithRadarAsync(context, node, "GetBasePath", async radar =>
        {
            // The agent's own container is a container radar must be able to resolve on its node.
            var pod = await new NodeAgentLocator(context.Connection!.Client, context.AgentNamespace).FindAsync(node, cancellationToken);
            var containerId = pod.Status.ContainerStatuses?.FirstOrDefault(c => !string.IsNullOrEmpty(c.ContainerID))?.ContainerID;
            if (containerId is null)
            {
                return CheckResult.Fail($"the agent pod {pod.Metadata.Name} reports no container ID");
            }

            var reply = await radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = containerId, RemotePath = "/" }, deadline: Deadline(), cancellationToken: cancellationToken);
            return CheckResult.Pass($"/ of {containerId[..Math.Min(containerId.Length, 24)]}… is {reply.NodePath} ({reply.Backend})");
        }, cancellationToken);

    private static async Task<CheckResult> WithRadarAsync(DoctorContext context, string node, string rpc, Func<RadarConnection, Task<CheckResult>> check, CancellationToken cancellationToken)
    {
        if (context.Nodes?.FirstOrDefault(n => n.NodeName == node) is not { IsReady: true })
        {
            return CheckResult.Skip("the agent on this node is not ready");
        }

        try
        {
            var radar = await context.RadarAsync(node, cancellationToken);
            return await check(radar);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
        {
            return CheckResult.Fail($"radar does not implement {rpc} (an older radar?)", "Run 'kubectl ksync init --upgrade' to install the agent that matches this plugin.");
        }
        catch (RpcException ex)
        {
            return CheckResult.Fail($"radar {rpc} failed: {ex.StatusCode}: {ex.Status.Detail}");
        }
        catch (KsyncException ex)
        {
            return CheckResult.Fail(ex.Message, ex.Hint);
        }
    }

    private static DateTime Deadline() => DateTime.UtcNow + s_rpcDeadline;
}
