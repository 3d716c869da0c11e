namespace KSync.Lab.Agents;

/// <summary>A failure the lab injects into a node's agent pod: its containers wait with this reason.</summary>
/// <param name="Reason">Container waiting reason, e.g. "ErrImagePull" or "CrashLoopBackOff".</param>
/// <param name="Message">The detail shown in the pod status and a Warning event.</param>
public sealed record AgentFault(string Reason, string Message);
