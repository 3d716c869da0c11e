namespace KSync.Radar;

/// <summary>
/// radar's process settings, from its command line and environment (see <see cref="RadarCommand"/>). Every path
/// and port can be overridden, so the same binary runs in the DaemonSet and as a plain host process (the lab).
/// </summary>
internal sealed class RadarOptions
{
    /// <summary>Default gRPC port.</summary>
    public const int DefaultPort = 40321;

    /// <summary>Default port of the health-only gRPC endpoint.</summary>
    public const int DefaultHealthPort = 40320;

    /// <summary>Default syncthing REST API base address (inside the pod's network namespace).</summary>
    public const string DefaultSyncthingApi = "http://127.0.0.1:8384";

    /// <summary>Default syncthing sync protocol port.</summary>
    public const int DefaultSyncthingSyncPort = 22000;

    /// <summary>Gets the address the gRPC server binds; default 127.0.0.1 (reached only through port-forward).</summary>
    public string Bind { get; init; } = "127.0.0.1";

    /// <summary>Gets the gRPC port; default 40321. 0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Gets the address of the health-only endpoint; default 0.0.0.0 so the kubelet's gRPC probes reach it on the pod IP.</summary>
    public string HealthBind { get; init; } = "0.0.0.0";

    /// <summary>Gets the health-only port; default 40320. 0 picks a free port; -1 serves health on the main port only.</summary>
    public int HealthPort { get; init; } = DefaultHealthPort;

    /// <summary>
    /// Gets the prefix under which the node's filesystem root is mounted for socket discovery (the DaemonSet mounts
    /// the node's /run at /host/run and passes <c>/host</c>); default empty (radar runs on the node itself).
    /// </summary>
    public string HostRoot { get; init; } = string.Empty;

    /// <summary>Gets where the node's procfs is mounted; default <c>/proc</c> (the DaemonSet uses hostPID).</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <summary>
    /// Gets a value indicating whether container root filesystems are always reached through
    /// <c>/proc/&lt;pid&gt;/root</c>, even when the runtime's root path is visible; default false.
    /// </summary>
    public bool PreferProcRoot { get; init; }

    /// <summary>Gets the Docker Engine socket, or null to discover it under <see cref="HostRoot"/>.</summary>
    public string? DockerSocket { get; init; }

    /// <summary>Gets the containerd socket, or null to discover it (containerd, k3s) under <see cref="HostRoot"/>.</summary>
    public string? ContainerdSocket { get; init; }

    /// <summary>Gets the CRI-O socket, or null to discover it under <see cref="HostRoot"/>.</summary>
    public string? CrioSocket { get; init; }

    /// <summary>
    /// Gets containerd's state directory (holds the task bundles with each container's rootfs), or null to read it
    /// from the CRI plugin's status (its <c>stateDir</c>'s parent).
    /// </summary>
    public string? ContainerdState { get; init; }

    /// <summary>Gets how long one call to a container runtime may take; default 10 s.</summary>
    public TimeSpan RuntimeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the node syncthing's REST API base address; default <see cref="DefaultSyncthingApi"/>.</summary>
    public Uri SyncthingApi { get; init; } = new(DefaultSyncthingApi);

    /// <summary>Gets the node syncthing's sync protocol port; default 22000. radar pins syncthing's listener to 127.0.0.1 on it.</summary>
    public int SyncthingSyncPort { get; init; } = DefaultSyncthingSyncPort;

    /// <summary>Gets how often radar checks that the node syncthing answers; default 2 s.</summary>
    public TimeSpan SyncthingPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the node syncthing's API key (env <c>KSYNC_SYNCTHING_API_KEY</c>, from the ksync Secret); empty when unset.</summary>
    public string SyncthingApiKey { get; init; } = string.Empty;

    /// <summary>Gets the node name (env <c>NODE_NAME</c>, downward API); empty when unset.</summary>
    public string NodeName { get; init; } = string.Empty;

    /// <summary>Gets radar's own pod (env <c>POD_UID</c>, <c>POD_NAME</c>, <c>POD_NAMESPACE</c>): never restarted or signalled.</summary>
    public OwnPod Self { get; init; } = OwnPod.None;
}
