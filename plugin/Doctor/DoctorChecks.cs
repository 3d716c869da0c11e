using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.Plugin.Errors;
using KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Doctor;

/// <summary>
/// doctor's table, in order: every check of the original ksync's doctor that still makes sense,
/// plus, per node, the runtime, storage driver and a test path as radar sees them, and per spec and container the
/// owner of the files ksync creates there.
/// </summary>
internal static partial class DoctorChecks
{
    private static readonly TimeSpan s_rpcDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Gets every check.</summary>
    public static IReadOnlyList<DoctorCheck> All { get; } =
    [
        new("Local syncthing", DoctorPhase.Local, "Run 'kubectl ksync init --local' to install syncthing.", LocalSyncthingCheck.RunAsync),
        new("Kubeconfig", DoctorPhase.Pre, "Fix --kubeconfig/--context/-n, KUBECONFIG or ~/.kube/config.", KubeconfigAsync),
        new("Cluster connection", DoctorPhase.Pre, "Check that the cluster runs and its address in the kubeconfig is reachable.", ConnectionAsync),
        new("Cluster version", DoctorPhase.Pre, $"ksync needs Kubernetes {ClusterProbe.MinimumVersion} or newer.", VersionAsync),
        new("Permissions", DoctorPhase.Pre, "Ask a cluster admin to bind the Role 'ksync-user' in namespace ksync to you, and to let you list and watch pods in your namespace.", PermissionsAsync),
        new("DaemonSet present", DoctorPhase.Post, "Run 'kubectl ksync init'.", DaemonSetAsync),
        new("Node agents healthy", DoctorPhase.Post, "Run 'kubectl ksync init' (it reports why a node is not ready), or 'kubectl -n ksync describe pods'.", HealthAsync),
        new("radar version", DoctorPhase.Post, "Run 'kubectl ksync init --upgrade' to install the agent that matches this plugin.", RunForNode: RadarVersionAsync),
        new("Container runtime", DoctorPhase.Post, "radar finds no runtime socket on the node: check the DaemonSet's host mounts.", RunForNode: RuntimeAsync),
        new("Storage driver", DoctorPhase.Post, "radar cannot read the runtime's storage driver: check the DaemonSet's host mounts.", RunForNode: StorageAsync),
        new("Test path", DoctorPhase.Post, "radar cannot map a container path to the node: check the DaemonSet's host mounts and radar's log.", RunForNode: TestPathAsync),
        new("Owner", DoctorPhase.Post, "radar cannot read the folder or the container's process: check radar's log.", RunMany: OwnersAsync),
        new("Watch running", DoctorPhase.Local, "Start it with 'kubectl ksync watch' (or 'watch --daemon').", WatchAsync),
    ];

    private static Task<CheckResult> KubeconfigAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            context.Connection = KubeClientFactory.Create(context.Settings, context.Cli.Environment, context.Cli.WorkingDirectory);
            var c = context.Connection;
            return Task.FromResult(CheckResult.Pass($"context {c.ContextName ?? "(in-cluster)"}, namespace {c.Namespace}, server {c.Server}"));
        }
        catch (KsyncException ex)
        {
            return Task.FromResult(CheckResult.Fail(ex.Message, ex.Hint));
        }
    }

    private static async Task<CheckResult> ConnectionAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (context.Connection is null)
        {
            return CheckResult.Skip("needs a kubeconfig");
        }

        try
        {
            var (_, git) = await ClusterProbe.GetVersionAsync(context.Connection, TimeSpan.FromSeconds(5), cancellationToken);
            context.IsReachable = true;
            return CheckResult.Pass($"{context.Connection.Server} answers ({git})");
        }
        catch (KsyncException ex)
        {
            return CheckResult.Fail(ex.Message, ex.Hint);
        }
    }

    private static async Task<CheckResult> VersionAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.IsReachable)
        {
            return CheckResult.Skip("needs a cluster connection");
        }

        var (version, git) = await ClusterProbe.GetVersionAsync(context.Connection!, TimeSpan.FromSeconds(5), cancellationToken);
        return version >= ClusterProbe.MinimumVersion
            ? CheckResult.Pass($"Kubernetes {git}")
            : CheckResult.Fail($"Kubernetes {git} is older than {ClusterProbe.MinimumVersion}");
    }

    private static async Task<CheckResult> PermissionsAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.IsReachable)
        {
            return CheckResult.Skip("needs a cluster connection");
        }

        var ns = context.Connection!.Namespace;
        AccessRequirement[] needed =
        [
            new("list", string.Empty, "pods", null, ns),
            new("watch", string.Empty, "pods", null, ns),
            new("list", string.Empty, "pods", null, context.AgentNamespace),
            new("create", string.Empty, "pods", "portforward", context.AgentNamespace),
            new("get", "apps", "daemonsets", null, context.AgentNamespace),
        ];
        var missing = await AccessChecker.MissingAsync(context.Connection.Client, needed, cancellationToken);
        return missing.Count == 0
            ? CheckResult.Pass($"watch pods in {ns}, port-forward to the agents in {context.AgentNamespace}")
            : CheckResult.Fail("missing: " + string.Join("; ", missing));
    }

    private static async Task<CheckResult> WatchAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var port = context.Settings.Port ?? GlobalOptions.DefaultStatusPort;
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        try
        {
            var alive = await new Ksync.KsyncClient(channel).IsAliveAsync(new IsAliveRequest(), deadline: DateTime.UtcNow.AddMilliseconds(500), cancellationToken: cancellationToken);
            return alive.Alive_
                ? CheckResult.Pass($"pid {alive.Pid}, version {alive.Version}, local syncthing {(alive.SyncthingAlive ? "alive" : "NOT alive")}")
                : new CheckResult(CheckOutcome.Warning, $"watch on 127.0.0.1:{port} says it is not alive");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Unimplemented or StatusCode.Internal)
        {
            return new CheckResult(CheckOutcome.Warning, $"watch is not running (nothing answers on 127.0.0.1:{port})");
        }
        catch (SocketException)
        {
            return new CheckResult(CheckOutcome.Warning, $"watch is not running (nothing answers on 127.0.0.1:{port})");
        }
    }
}
