namespace KSync.Config.Model;

/// <summary>
/// The ksync home folder (default <c>~/.ksync</c>, relocated by the <c>KSYNC_HOME</c> environment variable) and the
/// well-known paths inside it. Layout follows the original: <c>ksync.yaml</c>, <c>bin/syncthing</c>,
/// <c>syncthing/</c> (syncthing's home), <c>syncthing.log</c>, <c>daemon.pid</c>, <c>daemon.log</c>, and this version's
/// <c>project.yaml</c> and <c>state.json</c> (the syncs watch set up, so the next watch resumes them).
/// </summary>
public sealed class KsyncHome
{
    /// <summary>Name of the environment variable that relocates the home folder.</summary>
    public const string EnvironmentVariable = "KSYNC_HOME";

    /// <summary>Creates a home rooted at <paramref name="root"/> (made absolute; not created on disk).</summary>
    /// <param name="root">The folder that plays the role of <c>~/.ksync</c>.</param>
    public KsyncHome(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>Gets the absolute path of the home folder.</summary>
    public string Root { get; }

    /// <summary>Gets the path of the config file, <c>ksync.yaml</c>.</summary>
    public string ConfigFile => Path.Combine(Root, "ksync.yaml");

    /// <summary>Gets the folder for binaries ksync installs (syncthing), <c>bin/</c>.</summary>
    public string BinDirectory => Path.Combine(Root, "bin");

    /// <summary>Gets the home folder of the managed local syncthing, <c>syncthing/</c>; kept across runs.</summary>
    public string SyncthingHome => Path.Combine(Root, "syncthing");

    /// <summary>Gets the log file of the managed local syncthing.</summary>
    public string SyncthingLog => Path.Combine(Root, "syncthing.log");

    /// <summary>
    /// Gets the state file, <c>state.json</c>: every sync watch set up (folder ID, container, node path), kept across
    /// runs so a sync resumes instead of starting over (docs/architecture.md, "Folder identity").
    /// </summary>
    public string StateFile => Path.Combine(Root, "state.json");

    /// <summary>Gets the PID file of a background <c>watch --daemon</c>.</summary>
    public string DaemonPidFile => Path.Combine(Root, "daemon.pid");

    /// <summary>Gets the log file of a background <c>watch --daemon</c>.</summary>
    public string DaemonLog => Path.Combine(Root, "daemon.log");

    /// <summary>
    /// Gets <c>project.yaml</c>: the project's spec file, usually a symbolic link to a file in a repository (see
    /// <c>Sources.ProjectFile</c>).
    /// </summary>
    public string ProjectLink => Path.Combine(Root, "project.yaml");

    /// <summary>
    /// Resolves the home from <c>KSYNC_HOME</c> when set and non-empty, else <c>~/.ksync</c>.
    /// </summary>
    /// <param name="environment">Reads an environment variable; null reads the process environment.</param>
    /// <returns>The resolved home; nothing is created on disk.</returns>
    public static KsyncHome Resolve(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var fromEnv = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return new KsyncHome(fromEnv);
        }

        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new KsyncHome(Path.Combine(profile, ".ksync"));
    }

    /// <summary>Creates the home folder when missing, readable only by the user on Unix (mode 0700).</summary>
    /// <returns>This home.</returns>
    public KsyncHome EnsureExists()
    {
        if (!Directory.Exists(Root))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Root);
            }
            else
            {
                Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return this;
    }
}
