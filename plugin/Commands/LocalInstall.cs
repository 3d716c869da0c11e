using KSync.Syncthing;
using KSync.Syncthing.Versions;
using KSync.Syncthing.Install;

namespace KSync.Plugin.Commands;

/// <summary>The local half of <c>init</c>: syncthing on this machine.</summary>
internal static class LocalInstall
{
    /// <summary>
    /// Installs the pinned syncthing release into <c>~/.ksync/bin</c>; with <paramref name="onlyIfMissing"/>
    /// (plain <c>init</c>), first looks for a usable syncthing (<c>KSYNC_SYNCTHING</c>, <c>~/.ksync/bin</c>, PATH)
    /// and keeps it.
    /// </summary>
    /// <param name="context">The CLI context (home folder, progress on stderr).</param>
    /// <param name="baseUrl">Base URL of the release downloads.</param>
    /// <param name="onlyIfMissing">True to keep a syncthing that is already there.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns>One line saying what was done.</returns>
    /// <exception cref="SyncthingException">The download or its verification failed; nothing was installed.</exception>
    public static async Task<string> RunAsync(CliContext context, Uri baseUrl, bool onlyIfMissing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var home = context.Home.EnsureExists();
        if (onlyIfMissing)
        {
            try
            {
                var found = await SyncthingBinaryResolver.ResolveAsync(home.BinDirectory, context.Environment, cancellationToken);
                return $"Using syncthing {found.Version.Text} at {found.Path}.";
            }
            catch (SyncthingException)
            {
                // None usable: install the pinned release.
            }
        }

        var (path, already) = await new SyncthingInstaller().InstallPinnedAsync(home.BinDirectory, baseUrl, context.Error, cancellationToken);
        return already
            ? $"syncthing v{SyncthingRelease.Version} is already installed at {path}."
            : $"Installed syncthing v{SyncthingRelease.Version} to {path}.";
    }
}
