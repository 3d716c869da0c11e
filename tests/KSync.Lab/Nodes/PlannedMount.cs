namespace KSync.Lab.Nodes;

/// <summary>A bind mount from the node into a container.</summary>
/// <param name="NodePath">Source on the node.</param>
/// <param name="ContainerPath">Destination in the container.</param>
/// <param name="ReadOnly">Whether it is mounted read-only.</param>
/// <param name="Propagation">"None", "HostToContainer" or "Bidirectional" (the pod spec's mountPropagation).</param>
internal sealed record PlannedMount(string NodePath, string ContainerPath, bool ReadOnly, string Propagation);
