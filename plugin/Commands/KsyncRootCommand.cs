using System.CommandLine;

namespace KSync.Plugin.Commands;

/// <summary>
/// The root of the command tree. System.CommandLine names it after the executable (<c>kubectl-ksync</c>);
/// <see cref="KsyncCli"/> shows it as <see cref="DisplayName"/> in help and errors, the way users type it through
/// kubectl (krew's plugin best practices).
/// </summary>
internal sealed class KsyncRootCommand : RootCommand
{
    /// <summary>How users invoke the plugin; used in usage lines and messages.</summary>
    public const string DisplayName = "kubectl ksync";

    /// <summary>Creates the tree with every command.</summary>
    /// <param name="context">The CLI context handed to every command.</param>
    public KsyncRootCommand(CliContext context)
        : base("Sync files between your machine and containers in Kubernetes pods, live.")
    {
        Context = context;
        Global = new GlobalOptions(context);

        // `kubectl ksync version` is the command; a --version option beside it would only confuse.
        Options.Remove(Options.OfType<VersionOption>().Single());
        foreach (var option in Global.All)
        {
            Options.Add(option);
        }

        // In the order of a first session: install, add specs, sync, look, reload, check, clean up.
        Subcommands.Add(new InitCommand(this));
        Subcommands.Add(new CreateCommand(this));
        Subcommands.Add(new DeleteCommand(this));
        Subcommands.Add(new WatchCommand(this));
        Subcommands.Add(new GetCommand(this));
        Subcommands.Add(new ReloadCommand(this));
        Subcommands.Add(new WaitCommand(this));
        Subcommands.Add(new DoctorCommand(this));
        Subcommands.Add(new CleanCommand(this));
        Subcommands.Add(new VersionCommand(this));
        Subcommands.Add(new CompleteCommand(this));
    }

    /// <summary>Gets the CLI context.</summary>
    public CliContext Context { get; }

    /// <summary>Gets the recursive options every command takes.</summary>
    public GlobalOptions Global { get; }
}
