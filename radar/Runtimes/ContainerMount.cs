namespace KSync.Radar.Runtimes;

/// <summary>One mount of a container as its runtime reports it: a volume, bind, emptyDir, PVC or hostPath.</summary>
/// <param name="Destination">Absolute path inside the container.</param>
/// <param name="Source">Absolute path on the node (empty when the runtime gives none, e.g. tmpfs).</param>
/// <param name="ReadOnly">Whether the container sees it read-only.</param>
internal sealed record ContainerMount(string Destination, string Source, bool ReadOnly);
