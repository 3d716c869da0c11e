using System.CommandLine;
using KSync.Plugin.Doctor;
using KSync.Plugin.Errors;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Plugin.Commands;

/// <summary>
/// <c>kubectl ksync doctor</c>: checks this machine, the cluster connection and rights, and the node agent on every
/// node (see <see cref="DoctorChecks"/>), printed as a checklist with a fix per failure. Stops at the first failure
/// unless <c>--ignore</c>; exits 1 when any check failed either way.
/// </summary>
internal sealed class DoctorCommand : Command
{
    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public DoctorCommand(KsyncRootCommand root)
        : base("doctor", "Check that ksync can work: local syncthing, cluster access and rights, the node agent on every node")
    {
        ArgumentNullException.ThrowIfNull(root);
        var ignore = new Option<bool>("--ignore") { Description = "Run every check even after a failure (still exits 1 when any failed)" };
        Options.Add(ignore);
        SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = root.Global.Resolve(parseResult);
            await using var context = new DoctorContext(root.Context, settings, NullLogger.Instance);
            var failed = await DoctorRunner.RunAsync(DoctorChecks.All, context, root.Context.Out, parseResult.GetValue(ignore), cancellationToken);
            if (failed == 0)
            {
                await root.Context.Out.WriteLineAsync("Everything looks good.");
                return ExitCodes.Success;
            }

            await root.Context.Error.WriteLineAsync($"{failed} check(s) failed.");
            return ExitCodes.Failure;
        });
    }
}
