using System.CommandLine;
using Grpc.Core;
using KSync.Plugin.Cluster;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using KSync.Syncthing;
using KSync.Syncthing.Versions;
using Microsoft.Extensions.Logging.Abstractions;
using k8s;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync version</c>: the client's version, commit and build date, the syncthing it would use, and the
/// version of radar in the cluster when a node agent answers within <see cref="RadarTimeout"/> (else
/// <c>unknown</c> with the reason; the command never hangs on a cluster). <c>--check-tls</c> adds a TLS self-check
/// (<see cref="TlsSelfCheck"/>), which the Dev Container feature runs at install time.
/// </summary>
internal sealed class VersionCommand : Command
{
    /// <summary>How long to try for radar's version: 2 s.</summary>
    public static readonly TimeSpan RadarTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public VersionCommand(KsyncRootCommand root)
        : base("version", "Print the version of kubectl-ksync, the syncthing it uses, and radar in the cluster")
    {
        var checkTls = new Option<bool>("--check-tls")
        {
            Description = "Also check that TLS works on this machine (a loopback handshake; needs libssl and CA certificates); exit 1 when not",
        };
        Options.Add(checkTls);
        SetAction(async (parseResult, cancellationToken) =>
        {
            var context = root.Context;
            var settings = root.Global.Resolve(parseResult);
            var info = BuildInfo.Current;
            var syncthing = FindSyncthingAsync(context, cancellationToken);
            var radar = RadarVersionAsync(context, settings, cancellationToken);
            await context.Out.WriteLineAsync($"Client version: {info.Version}");
            await context.Out.WriteLineAsync($"Git commit:     {info.Commit}");
            await context.Out.WriteLineAsync($"Build date:     {info.BuildDate}");
            await context.Out.WriteLineAsync($"Syncthing:      {await syncthing}");
            await context.Out.WriteLineAsync($"Radar:          {await radar}");
            if (parseResult.GetValue(checkTls))
            {
                await context.Out.WriteLineAsync($"TLS:            {await TlsSelfCheck.RunAsync(TimeSpan.FromSeconds(10), cancellationToken)}");
            }

            return ExitCodes.Success;
        });
    }

    private static async Task<string> FindSyncthingAsync(CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            var path = SyncthingBinaryResolver.Locate(context.Home.BinDirectory, context.Environment);
            var version = await SyncthingVersionCache.ReadAsync(context.Home, path, cancellationToken);
            return $"{version.Text} ({path})";
        }
        catch (SyncthingException)
        {
            return "not found";
        }
    }

    private static async Task<string> RadarVersionAsync(CliContext context, GlobalSettings settings, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RadarTimeout);
        try
        {
            using var connection = KubeClientFactory.Create(settings, context.Environment, context.WorkingDirectory);
            var agents = await connection.Client.CoreV1.ListNamespacedPodAsync(
                NodeAgent.DefaultNamespace,
                labelSelector: NodeAgent.PodSelector,
                cancellationToken: deadline.Token);
            var node = agents.Items.FirstOrDefault(NodeAgentLocator.IsReady)?.Spec?.NodeName;
            if (node is null)
            {
                return "unknown (no ready node agent; run 'kubectl ksync init')";
            }

            await using var radar = await RadarConnection.ConnectAsync(connection.Client, node, NullLogger.Instance, cancellationToken: deadline.Token);
            var version = await radar.Client.GetVersionInfoAsync(new(), deadline: DateTime.UtcNow + RadarTimeout, cancellationToken: deadline.Token);
            return $"{version.Version} ({version.GitCommit}, node {node})";
        }
        catch (KsyncException ex)
        {
            return $"unknown ({ex.Message})";
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException or HttpRequestException or k8s.Autorest.HttpOperationException)
        {
            return cancellationToken.IsCancellationRequested ? "unknown" : $"unknown (the cluster did not answer within {RadarTimeout.TotalSeconds:0} s)";
        }
    }
}
