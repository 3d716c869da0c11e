using KSync.Lab.Nodes;

namespace KSync.Lab;

/// <summary>One lab node: its name, the runtime its own engine runs, and the taints it starts with.</summary>
/// <param name="Name">Node name, e.g. lab-node-1.</param>
/// <param name="Runtime">Docker or containerd.</param>
/// <param name="Tainted">Whether it starts with the taint <c>lab.ksync.dev/dedicated=infra:NoSchedule</c>.</param>
public sealed record LabNode(string Name, NodeRuntime Runtime, bool Tainted);
