namespace KSync.Plugin.Cluster;

/// <summary>A failure of one tunnelled connection: the port-forward's error channel text, or why it could not open.</summary>
/// <param name="At">When it happened (UTC).</param>
/// <param name="Message">What the API server or kubelet said.</param>
internal sealed record TunnelError(DateTimeOffset At, string Message);
