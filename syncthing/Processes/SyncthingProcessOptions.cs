namespace KSync.Syncthing.Processes;

/// <summary>Where and how <see cref="SyncthingProcess"/> runs the managed local syncthing.</summary>
public sealed class SyncthingProcessOptions
{
    /// <summary>
    /// Gets the folder the managed syncthing keeps its files in (ksync's home, <c>~/.ksync</c>): syncthing's home is
    /// <c>syncthing/</c> in it, its log <c>syncthing.log</c>, its PID file <c>syncthing.pid</c>. Created (mode 0700 on
    /// Unix) when missing.
    /// </summary>
    public required string Root { get; init; }

    /// <summary>Gets the GUI/REST port on 127.0.0.1; 0 (default) picks a free one at start.</summary>
    public int ApiPort { get; init; }

    /// <summary>
    /// Gets the sync protocol port on 127.0.0.1; 0 (default) picks a free one at start. Never 22000 by default: node
    /// syncthings of the lab run on the same host.
    /// </summary>
    public int ListenPort { get; init; }

    /// <summary>Gets how long syncthing may take until its API answers; default 30 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how long a graceful shutdown may take before syncthing is killed; default 5 s.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the first delay before restarting a syncthing that died; doubled per failure; default 500 ms.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets the longest delay between restarts; default 30 s.</summary>
    public TimeSpan MaxRestartDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how long a syncthing must run before the restart delay resets; default 60 s.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets the parent-death launcher on Linux (util-linux <c>setpriv</c>); null disables it.</summary>
    public string? SetprivPath { get; init; } = "/usr/bin/setpriv";

    /// <summary>Gets the path of syncthing's home folder, <c>syncthing/</c> in <see cref="Root"/>; kept across runs so the device ID is stable.</summary>
    public string SyncthingHomeDirectory => Path.Combine(Root, "syncthing");

    /// <summary>Gets the path of syncthing's log file, <c>syncthing.log</c> in <see cref="Root"/>.</summary>
    public string LogFilePath => Path.Combine(Root, "syncthing.log");

    /// <summary>Gets the path of the PID file that guards the home, <c>syncthing.pid</c> in <see cref="Root"/>.</summary>
    public string PidFilePath => Path.Combine(Root, "syncthing.pid");
}
