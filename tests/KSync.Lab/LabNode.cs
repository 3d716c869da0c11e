namespace KSync.Lab;

/// <summary>One lab node: a name and whether it carries a NoSchedule taint.</summary>
/// <param name="Name">Node name, e.g. lab-node-1.</param>
/// <param name="Tainted">Whether it has the taint <c>lab.ksync.dev/dedicated=infra:NoSchedule</c>.</param>
public sealed record LabNode(string Name, bool Tainted);
