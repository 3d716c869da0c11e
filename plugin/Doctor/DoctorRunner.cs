namespace KSync.Plugin.Doctor;

/// <summary>
/// Runs doctor's table and prints it as a checklist (<c>[ok]</c>, <c>[FAIL]</c> with a fix line, <c>[warn]</c>,
/// <c>[skip]</c>). Stops at the first failure unless asked to go on; per-node checks print one line per node.
/// </summary>
internal static class DoctorRunner
{
    /// <summary>Runs the checks.</summary>
    /// <param name="checks">The table.</param>
    /// <param name="context">The shared context.</param>
    /// <param name="output">Where the checklist goes.</param>
    /// <param name="continueOnFailure">True for <c>--ignore</c>: run every check.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The number of failed checks.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<DoctorCheck> checks, DoctorContext context, TextWriter output, bool continueOnFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var failed = 0;
        foreach (var check in checks)
        {
            var results = new List<(string Name, CheckResult Result)>();
            if (check.Run is not null)
            {
                results.Add((check.Name, await check.Run(context, cancellationToken)));
            }
            else if (check.RunMany is not null)
            {
                results.AddRange(await check.RunMany(context, cancellationToken));
            }
            else if (context.Nodes is { Count: > 0 } nodes && check.RunForNode is not null)
            {
                foreach (var node in nodes)
                {
                    results.Add(($"{check.Name} on {node.NodeName}", await check.RunForNode(context, node.NodeName, cancellationToken)));
                }
            }
            else
            {
                results.Add((check.Name, CheckResult.Skip("needs the node agents")));
            }

            foreach (var (name, result) in results)
            {
                var mark = result.Outcome switch
                {
                    CheckOutcome.Passed => "[ok]  ",
                    CheckOutcome.Failed => "[FAIL]",
                    CheckOutcome.Warning => "[warn]",
                    _ => "[skip]",
                };
                await output.WriteLineAsync($"{mark} {name}: {result.Detail}");
                if (result.Outcome == CheckOutcome.Failed)
                {
                    failed++;
                    await output.WriteLineAsync($"       fix: {result.Hint ?? check.FixHint}");
                }
            }

            if (failed > 0 && !continueOnFailure)
            {
                await output.WriteLineAsync("Stopped at the first failure; --ignore runs every check.");
                return failed;
            }
        }

        return failed;
    }
}
