namespace KSync.Lab.Nodes;

/// <summary>
/// One container as the kubelet resolved it from the pod spec, engine-neutral: what to run, environment, node-path
/// mounts and the effective security settings (pod and container securityContext merged).
/// </summary>
internal sealed record ContainerPlan
{
    /// <summary>Gets the container name in the pod.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the image reference as the pod names it.</summary>
    public required string Image { get; init; }

    /// <summary>Gets the attempt: 0 for the first container of this name in the sandbox, +1 per re-creation.</summary>
    public required int Attempt { get; init; }

    /// <summary>Gets the command (replaces the image's ENTRYPOINT); empty = the image's.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Gets the args (replace the image's CMD); null = the image's.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Gets the working directory, or null for the image's.</summary>
    public string? WorkingDir { get; init; }

    /// <summary>Gets the environment, in the pod spec's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Gets the mounts (node paths as sources).</summary>
    public IReadOnlyList<PlannedMount> Mounts { get; init; } = [];

    /// <summary>
    /// Gets the bind mounts the kubelet makes on the node before the container starts, as it mounts a
    /// PersistentVolume into the pod's volume folder: node source → node target.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> VolumeBinds { get; init; } = [];

    /// <summary>Gets the uid to run as, or null for the image's user.</summary>
    public long? RunAsUser { get; init; }

    /// <summary>Gets the gid to run as, or null for the image's group.</summary>
    public long? RunAsGroup { get; init; }

    /// <summary>Gets the supplemental groups (spec.securityContext.supplementalGroups plus fsGroup).</summary>
    public IReadOnlyList<long> SupplementalGroups { get; init; } = [];

    /// <summary>Gets the capabilities to add (names without CAP_).</summary>
    public IReadOnlyList<string> CapabilitiesAdd { get; init; } = [];

    /// <summary>Gets the capabilities to drop (names without CAP_, or ALL).</summary>
    public IReadOnlyList<string> CapabilitiesDrop { get; init; } = [];

    /// <summary>Gets a value indicating whether the root filesystem is read-only.</summary>
    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>Gets a value indicating whether the container is privileged.</summary>
    public bool Privileged { get; init; }

    /// <summary>Gets a value indicating whether no_new_privs is set (allowPrivilegeEscalation: false).</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>Gets a value indicating whether AppArmor is off for it (appArmorProfile type Unconfined).</summary>
    public bool AppArmorUnconfined { get; init; }

    /// <summary>Gets the labels the kubelet puts on the container (io.kubernetes.pod.*, io.kubernetes.container.name).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the log file of this attempt relative to the sandbox's log directory: <c>NAME/ATTEMPT.log</c>.</summary>
    public string LogPath => $"{Name}/{Attempt}.log";
}
