using System.CommandLine;
using KSync.Plugin.Cluster;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using KSync.Plugin.Processes;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync clean</c>: <c>--local</c> stops a background <c>watch</c>; <c>--remote</c> deletes everything
/// <c>init</c> created in the cluster; neither flag does both; <c>--nuke</c> also removes the ksync home folder
/// after a confirmation (skipped with <c>--yes</c>).
/// </summary>
internal sealed class CleanCommand : Command
{
    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public CleanCommand(KsyncRootCommand root)
        : base("clean", "Stop a background watch (--local) and remove the node agent from the cluster (--remote); both by default")
    {
        ArgumentNullException.ThrowIfNull(root);
        var remote = new Option<bool>("--remote", "-r") { Description = "Delete everything init created in the cluster" };
        var local = new Option<bool>("--local", "-l") { Description = "Stop a background watch started with watch --daemon" };
        var nuke = new Option<bool>("--nuke") { Description = "Also remove the ksync home folder (~/.ksync or $KSYNC_HOME): config, syncthing identity, logs" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask before --nuke removes the home folder" };
        Options.Add(remote);
        Options.Add(local);
        Options.Add(nuke);
        Options.Add(yes);
        SetAction(async (parseResult, cancellationToken) =>
        {
            var context = root.Context;
            var settings = root.Global.Resolve(parseResult);
            var isNuke = parseResult.GetValue(nuke);
            var both = isNuke || (!parseResult.GetValue(remote) && !parseResult.GetValue(local));
            var home = context.Home;
            if (isNuke && !parseResult.GetValue(yes) && Directory.Exists(home.Root))
            {
                // Ask first, before anything is touched.
                await context.Error.WriteAsync($"Remove {home.Root} and everything in it (config, syncthing identity, logs)? [y/N] ");
                var answer = await context.Input.ReadLineAsync(cancellationToken);
                if (answer?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    throw new KsyncException("Not confirmed; nothing was removed.", "Answer y, or pass --yes.");
                }
            }

            if (parseResult.GetValue(remote) || both)
            {
                using var connection = KubeClientFactory.Create(settings, context.Environment, context.WorkingDirectory);
                var installer = new ClusterInstaller(connection, context.Error);
                await installer.PrecheckAsync(ClusterInstaller.RemoveRights(NodeAgent.DefaultNamespace), cancellationToken);
                var deleted = await installer.RemoveAsync(NodeAgent.DefaultNamespace, TimeSpan.FromSeconds(60), cancellationToken);
                await context.Out.WriteLineAsync(deleted == 0
                    ? $"Nothing to remove from the cluster: ksync is not installed in namespace {NodeAgent.DefaultNamespace}."
                    : $"Removed ksync from the cluster ({deleted} object(s) in namespace {NodeAgent.DefaultNamespace}).");
            }

            if (parseResult.GetValue(local) || both)
            {
                await context.Out.WriteLineAsync(await BackgroundWatch.StopAsync(home, TimeSpan.FromSeconds(15), cancellationToken));
            }

            if (isNuke && Directory.Exists(home.Root))
            {
                Directory.Delete(home.Root, recursive: true);
                await context.Out.WriteLineAsync($"Removed {home.Root}.");
            }

            return ExitCodes.Success;
        });
    }
}
