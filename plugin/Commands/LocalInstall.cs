namespace KSync.Plugin.Commands;

/// <summary>
/// SEAM for the local half of <c>init</c> (syncthing on this machine). This build has no local installer; the
/// sync-engine work (issue 3) provides one, and the lead wires it here: <see cref="RunAsync"/> then installs or
/// finds syncthing and returns <see cref="LocalInstallOutcome.Installed"/> or <see cref="LocalInstallOutcome.AlreadyPresent"/>.
/// </summary>
internal static class LocalInstall
{
    /// <summary>Installs syncthing locally, or says why it cannot.</summary>
    /// <param name="context">The CLI context (home folder, output).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What happened and a one-line message.</returns>
    public static Task<(LocalInstallOutcome Outcome, string Message)> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult((LocalInstallOutcome.NotAvailable, "installing syncthing on this machine is not available in this build"));
    }
}
