namespace KSync.Plugin.Cluster;

/// <summary>Whether the node agent runs on one node, and if not why.</summary>
/// <param name="NodeName">The node.</param>
/// <param name="PodName">The agent pod on it, or null.</param>
/// <param name="IsReady">True when the pod is Running and Ready with the current template.</param>
/// <param name="Reason">Why not (container waiting reason and message, recent Warning events), or null.</param>
internal sealed record NodeAgentStatus(string NodeName, string? PodName, bool IsReady, string? Reason);
