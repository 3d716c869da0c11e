using System.CommandLine;
using KSync.Plugin.Cluster;
using KSync.Plugin.Cluster.Manifests;
using KSync.Plugin.Errors;
using KSync.Syncthing.Install;
using KSync.Syncthing.Processes;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync init</c>: <c>--remote</c> installs the node agent (DaemonSet, namespace, service account, API-key
/// Secret, user Role) and waits until it is ready on every node; <c>--local</c> sets up syncthing on this machine.
/// With neither flag it does both (the local half is skipped when a usable syncthing is found). The cluster work
/// lives in <see cref="ClusterInstaller"/>, the local work in <see cref="SyncthingInstaller"/> (through
/// <see cref="LocalInstall"/>); the download base is <c>--syncthing-url</c> or <c>KSYNC_SYNCTHING_URL</c>.
/// </summary>
internal sealed class InitCommand : Command
{
    /// <summary>Default of <c>--timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public InitCommand(KsyncRootCommand root)
        : base("init", "Install the ksync node agent in the cluster (--remote) and syncthing on this machine (--local); both by default")
    {
        ArgumentNullException.ThrowIfNull(root);
        var remote = new Option<bool>("--remote") { Description = "Install the node agent (DaemonSet) in the cluster" };
        var local = new Option<bool>("--local")
        {
            Description = $"Install syncthing {SyncthingRelease.Version} into ~/.ksync/bin (verified against its pinned SHA-256)",
        };
        var syncthingUrl = new Option<string?>("--syncthing-url")
        {
            Description = $"Base URL of syncthing releases (default {SyncthingRelease.DefaultBaseUrl}; env {SyncthingInstaller.UrlEnvironmentVariable})",
            HelpName = "url",
        };
        var upgrade = new Option<bool>("--upgrade", "-u") { Description = "Update objects that exist already (otherwise they are left as they are)" };
        var image = new Option<string?>("--image") { Description = $"Node agent image (default {ManifestSettings.DefaultImage})", HelpName = "image" };
        var timeout = new Option<string?>("--timeout")
        {
            Description = $"How long to wait for the node agent on every node, e.g. 90s or 5m (default {DefaultTimeout.TotalMinutes:0}m)",
            HelpName = "duration",
        };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is string text && !Durations.TryParse(text, out _))
            {
                result.AddError($"--timeout must be a positive duration such as 90s, 5m or 1h, got '{text}'.");
            }
        });
        Options.Add(remote);
        Options.Add(local);
        Options.Add(syncthingUrl);
        Options.Add(upgrade);
        Options.Add(image);
        Options.Add(timeout);
        SetAction(async (parseResult, cancellationToken) =>
        {
            var context = root.Context;
            var settings = root.Global.Resolve(parseResult);
            var doRemote = parseResult.GetValue(remote);
            var doLocal = parseResult.GetValue(local);
            var both = !doRemote && !doLocal;

            // Checked before the cluster is touched, so a typo fails fast.
            var baseUrl = SyncthingInstaller.ResolveBaseUrl(parseResult.GetValue(syncthingUrl), context.Environment);
            if (doRemote || both)
            {
                var options = new InstallOptions
                {
                    Image = parseResult.GetValue(image),
                    Upgrade = parseResult.GetValue(upgrade),
                    Timeout = Durations.TryParse(parseResult.GetValue(timeout), out var wait) ? wait : DefaultTimeout,
                };
                if (options.Image is not null)
                {
                    new ManifestSettings { Image = options.Image, ApiKey = ApiKey.Generate() }.Validate();
                }

                using var connection = KubeClientFactory.Create(settings, context.Environment, context.WorkingDirectory);
                var installer = new ClusterInstaller(connection, context.Error);
                await context.Error.WriteLineAsync($"Checking the cluster at {connection.Server} (context {connection.ContextName})...");
                var version = await installer.PrecheckAsync(ClusterInstaller.InstallRights(options.Namespace, options.Upgrade), cancellationToken);
                await context.Error.WriteLineAsync($"Kubernetes {version}; every right init needs is granted.");
                await installer.ApplyAsync(options, cancellationToken);
                var nodes = await installer.WaitReadyAsync(options.Namespace, options.Timeout, cancellationToken);
                await context.Out.WriteLineAsync($"ksync node agent ready on {nodes.Count} node(s) in namespace {options.Namespace}.");
            }

            if (doLocal || both)
            {
                var message = await LocalInstall.RunAsync(context, baseUrl, onlyIfMissing: both, cancellationToken);
                await context.Out.WriteLineAsync(message);
            }

            return ExitCodes.Success;
        });
    }
}
