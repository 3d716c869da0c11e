namespace KSync.Plugin.Doctor;

/// <summary>The result of one check.</summary>
internal enum CheckOutcome
{
    /// <summary>All good.</summary>
    Passed,

    /// <summary>Something is wrong; the fix hint says what to do. Makes doctor exit 1.</summary>
    Failed,

    /// <summary>Worth knowing but not wrong (e.g. watch is not running). Does not fail doctor.</summary>
    Warning,

    /// <summary>Not run: a check it depends on failed, or this build cannot check it.</summary>
    Skipped,
}
