using System.CommandLine;
using KSync.Plugin.Syncthing;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync init</c>: prepares ksync. <c>--local</c> installs the pinned syncthing release into
/// <c>~/.ksync/bin</c> (download base overridable with <c>--syncthing-url</c> or <c>KSYNC_SYNCTHING_URL</c>); the
/// cluster half (<c>--remote</c>, the default) is added separately. The work lives in
/// <see cref="SyncthingInstaller"/>; this class only wires options.
/// </summary>
internal sealed class InitCommand : Command
{
    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context.</param>
    public InitCommand(KsyncRootCommand root)
        : base("init", "Prepare ksync: install the node agents in the cluster, and syncthing on this machine (--local)")
    {
        ArgumentNullException.ThrowIfNull(root);
        var local = new Option<bool>("--local")
        {
            Description = $"Install syncthing {SyncthingRelease.Version} into ~/.ksync/bin (verified against its pinned SHA-256)",
        };
        var syncthingUrl = new Option<string?>("--syncthing-url")
        {
            Description = $"Base URL of syncthing releases (default {SyncthingRelease.DefaultBaseUrl}; env {SyncthingInstaller.UrlEnvironmentVariable})",
            HelpName = "url",
        };
        Options.Add(local);
        Options.Add(syncthingUrl);
        SetAction(async (parseResult, cancellationToken) =>
        {
            var context = root.Context;
            if (!parseResult.GetValue(local))
            {
                throw new KsyncException(
                    "Installing ksync into the cluster (init --remote) is not available in this build yet.",
                    "Run 'kubectl ksync init --local' to install syncthing on this machine.");
            }

            var baseUrl = SyncthingInstaller.ResolveBaseUrl(parseResult.GetValue(syncthingUrl), context.Environment);
            var home = context.Home.EnsureExists();
            var (path, already) = await new SyncthingInstaller().InstallPinnedAsync(home.BinDirectory, baseUrl, context.Error, cancellationToken);
            await context.Out.WriteLineAsync(already
                ? $"syncthing v{SyncthingRelease.Version} is already installed at {path}"
                : $"Installed syncthing v{SyncthingRelease.Version} to {path}");
            return ExitCodes.Success;
        });
    }
}
