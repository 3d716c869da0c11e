namespace KSync.Plugin.Doctor;

/// <summary>
/// One row of doctor's table (the original's <c>doctor/checks.go</c> as data): a name, when it applies, what to do
/// when it fails, and how to run it — once, or once per node the agent should run on.
/// </summary>
/// <param name="Name">Shown in the checklist.</param>
/// <param name="Phase">When it applies.</param>
/// <param name="FixHint">How to fix a failure (a result may give a more precise one).</param>
/// <param name="Run">Runs the check once; null for per-node checks.</param>
/// <param name="RunForNode">Runs the check for one node; null for single checks.</param>
/// <param name="RunMany">Runs the check once, with one named line per thing checked (e.g. per spec and container); null for the others.</param>
internal sealed record DoctorCheck(
    string Name,
    DoctorPhase Phase,
    string FixHint,
    Func<DoctorContext, CancellationToken, Task<CheckResult>>? Run = null,
    Func<DoctorContext, string, CancellationToken, Task<CheckResult>>? RunForNode = null,
    Func<DoctorContext, CancellationToken, Task<IReadOnlyList<(string Name, CheckResult Result)>>>? RunMany = null);
