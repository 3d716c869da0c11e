namespace KSync.Plugin.Doctor;

/// <summary>
/// SEAM for doctor's "Local syncthing" row. The syncthing locator comes with the local installer (issue 3); the lead
/// wires it here so the check passes when a usable syncthing is found and fails (hint: <c>kubectl ksync init
/// --local</c>) when not. Until then the row reports Skipped — never a pass it did not check.
/// </summary>
internal static class LocalSyncthingCheck
{
    /// <summary>Runs the check.</summary>
    /// <param name="context">The doctor context.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The result.</returns>
    public static Task<CheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(CheckResult.Skip("not checked: this build has no syncthing locator"));
    }
}
