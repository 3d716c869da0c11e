namespace KSync.Plugin.Doctor;

/// <summary>What one check found.</summary>
/// <param name="Outcome">Passed, failed, warning or skipped.</param>
/// <param name="Detail">One line: what was found.</param>
/// <param name="Hint">How to fix it; null to use the check's own hint.</param>
internal sealed record CheckResult(CheckOutcome Outcome, string Detail, string? Hint = null)
{
    /// <summary>A passed check.</summary>
    /// <param name="detail">What was found.</param>
    /// <returns>The result.</returns>
    public static CheckResult Pass(string detail) => new(CheckOutcome.Passed, detail);

    /// <summary>A failed check.</summary>
    /// <param name="detail">What is wrong.</param>
    /// <param name="hint">How to fix it, or null for the check's hint.</param>
    /// <returns>The result.</returns>
    public static CheckResult Fail(string detail, string? hint = null) => new(CheckOutcome.Failed, detail, hint);

    /// <summary>A skipped check.</summary>
    /// <param name="detail">Why.</param>
    /// <returns>The result.</returns>
    public static CheckResult Skip(string detail) => new(CheckOutcome.Skipped, detail);
}
