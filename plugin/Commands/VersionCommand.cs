using System.CommandLine;

namespace KSync.Plugin.Commands;

/// <summary><c>kubectl ksync version</c>: the client's version, commit and build date.</summary>
internal sealed class VersionCommand : Command
{
    /// <summary>Creates the command.</summary>
    /// <param name="root">The root command, for the context and global options.</param>
    public VersionCommand(KsyncRootCommand root)
        : base("version", "Print the version of kubectl-ksync, the syncthing it uses, and radar in the cluster")
    {
        SetAction(async (parseResult, cancellationToken) =>
        {
            var info = BuildInfo.Current;
            await root.Context.Out.WriteLineAsync($"Client version: {info.Version}");
            await root.Context.Out.WriteLineAsync($"Git commit:     {info.Commit}");
            await root.Context.Out.WriteLineAsync($"Build date:     {info.BuildDate}");
            return ExitCodes.Success;
        });
    }
}
