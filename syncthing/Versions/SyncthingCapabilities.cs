using System.Globalization;
using KSync.Syncthing.Install;

namespace KSync.Syncthing.Versions;

/// <summary>
/// What a given syncthing version accepts: command line flags, environment, and the folder settings whose type or
/// range changed between releases. Supported: 1.19 (Debian 12) up to 2.x.
/// Sources: syncthing docs "Command Line Operation" (users/syncthing.html), "Folder configuration" (users/config.html),
/// release notes of v2.0 (flags modernised, <c>--logflags</c> removed, <c>pullerDelayS</c> added), and syncthing PR
/// #7864 (v1.23: <c>fsWatcherDelayS</c> became a float with a minimum of 0.01).
/// </summary>
public sealed class SyncthingCapabilities
{
    /// <summary>The oldest supported syncthing, 1.19 (what Debian 12 ships).</summary>
    public static readonly SyncthingVersion Oldest = SyncthingVersion.Of(1, 19, 0);

    private SyncthingCapabilities(SyncthingVersion version)
    {
        Version = version;
    }

    /// <summary>Gets the version these capabilities describe.</summary>
    public SyncthingVersion Version { get; }

    /// <summary>Gets a value indicating whether this is the 2.x line (SQLite database, structured logs, new flags).</summary>
    public bool IsV2 => Version.Major >= 2;

    /// <summary>
    /// Gets a value indicating whether <c>fsWatcherDelayS</c> is a float (1.23 and later); before that it is an integer
    /// and 0 silently disables the watcher (docs/architecture.md, "syncthing facts": watcher delay).
    /// </summary>
    public bool HasFractionalWatcherDelay => Version.IsAtLeast(1, 23);

    /// <summary>Gets the lowest usable <c>fsWatcherDelayS</c>: 1 s before 1.23, 10 ms after.</summary>
    public TimeSpan MinimumWatcherDelay => HasFractionalWatcherDelay ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromSeconds(1);

    /// <summary>Gets a value indicating whether folders have <c>pullerDelayS</c> (2.x; default 1 s, ksync sets 0).</summary>
    public bool HasPullerDelay => IsV2;

    /// <summary>Gets a value indicating whether <c>STHASHING=minio</c> skips the hashing benchmark at start (1.x).</summary>
    public bool HasHashingBenchmark => !IsV2;

    /// <summary>Gets the capabilities of <paramref name="version"/>.</summary>
    /// <param name="version">A syncthing version.</param>
    /// <returns>The capabilities.</returns>
    /// <exception cref="SyncthingException">The version is older than 1.19 or newer than 2.x.</exception>
    public static SyncthingCapabilities For(SyncthingVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        if (version.CompareTo(Oldest) < 0 || version.Major > 2)
        {
            throw new SyncthingException(
                $"syncthing {version} is not supported; ksync works with syncthing 1.19 up to 2.x.",
                $"Run 'kubectl ksync init --local' to install syncthing {SyncthingRelease.Version} into ~/.ksync/bin.");
        }

        return new SyncthingCapabilities(version);
    }

    /// <summary>
    /// Converts a watcher delay into the value <c>fsWatcherDelayS</c> accepts: whole seconds (at least 1) before 1.23,
    /// seconds with two decimals (at least 0.01) after.
    /// </summary>
    /// <param name="delay">The wanted delay.</param>
    /// <returns>The delay in seconds, clamped to <see cref="MinimumWatcherDelay"/>.</returns>
    public double WatcherDelaySeconds(TimeSpan delay)
    {
        var clamped = delay < MinimumWatcherDelay ? MinimumWatcherDelay : delay;
        return HasFractionalWatcherDelay
            ? Math.Round(clamped.TotalSeconds, 2, MidpointRounding.AwayFromZero)
            : Math.Ceiling(clamped.TotalSeconds);
    }

    /// <summary>Arguments of <c>syncthing generate</c>: a certificate and a config, no default folder, no port probing.</summary>
    /// <param name="home">syncthing's home folder.</param>
    /// <returns>The arguments.</returns>
    public IReadOnlyList<string> GenerateArguments(string home)
        => IsV2
            ? ["generate", "--home=" + home, "--no-port-probing"]
            : ["generate", "--home=" + home, "--no-default-folder", "--skip-port-probing"];

    /// <summary>
    /// Arguments of <c>syncthing serve</c>. The GUI address flag applies to that run only (flags are not saved), so it is passed on
    /// every start; the API key is NOT passed as a flag (other users could read it with <c>ps</c>): it is written into
    /// config.xml and given as <c>STGUIAPIKEY</c> (see <see cref="ServeEnvironment"/>).
    /// </summary>
    /// <param name="home">syncthing's home folder.</param>
    /// <param name="apiPort">Port of the GUI/REST API on 127.0.0.1.</param>
    /// <returns>The arguments.</returns>
    public IReadOnlyList<string> ServeArguments(string home, int apiPort)
    {
        var args = new List<string>
        {
            "serve",
            "--home=" + home,
            "--no-browser",
            "--no-restart",
            "--no-upgrade",
            string.Create(CultureInfo.InvariantCulture, $"--gui-address=http://127.0.0.1:{apiPort}"),
        };

        // 1.x: date and time on every line; 2.x dropped --logflags and always stamps its structured lines.
        args.Add(IsV2 ? "--log-level=INFO" : "--logflags=3");
        return args;
    }

    /// <summary>
    /// Environment for <c>syncthing serve</c>: no upgrades, no self-restarts, no default folder, and
    /// <c>STMONITORED=1</c> so syncthing runs as ONE process (without it, 1.x forks a monitor parent and a worker child,
    /// and killing the parent orphans the child). On 1.x <c>STHASHING=minio</c> skips the ~0.9 s hashing
    /// benchmark at start.
    /// </summary>
    /// <param name="apiKey">The API key, passed as <c>STGUIAPIKEY</c>.</param>
    /// <returns>Variables to set.</returns>
    public IReadOnlyDictionary<string, string> ServeEnvironment(string apiKey)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["STGUIAPIKEY"] = apiKey,
            ["STNOUPGRADE"] = "1",
            ["STNORESTART"] = "1",
            ["STNODEFAULTFOLDER"] = "1",
            ["STMONITORED"] = "1",
        };
        if (HasHashingBenchmark)
        {
            env["STHASHING"] = "minio";
        }

        return env;
    }
}
