using KSync.Syncthing;
using KSync.Syncthing.Versions;

namespace KSync.Plugin.Doctor;

/// <summary>
/// doctor's "Local syncthing" row: a usable syncthing is found (<c>KSYNC_SYNCTHING</c>, <c>~/.ksync/bin</c>, then
/// PATH) and its version is supported; otherwise the fix is <c>kubectl ksync init --local</c>.
/// </summary>
internal static class LocalSyncthingCheck
{
    /// <summary>Runs the check.</summary>
    /// <param name="context">The doctor context.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    public static async Task<CheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var binary = await SyncthingBinaryResolver.ResolveAsync(context.Cli.Home.BinDirectory, context.Cli.Environment, cancellationToken);
            return CheckResult.Pass($"syncthing {binary.Version.Text} at {binary.Path}");
        }
        catch (SyncthingException ex)
        {
            return CheckResult.Fail(ex.Message, ex.Hint ?? "Run 'kubectl ksync init --local' to install syncthing.");
        }
    }
}
