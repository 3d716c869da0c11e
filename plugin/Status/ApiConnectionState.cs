namespace KSync.Plugin.Status;

/// <summary>watch's connection to the Kubernetes API, as <c>get</c> shows it.</summary>
/// <param name="IsConnected">True while the pod watches are connected.</param>
/// <param name="Since">When the current state began.</param>
/// <param name="LastError">The last error while reconnecting, or null.</param>
internal sealed record ApiConnectionState(bool IsConnected, DateTimeOffset Since, string? LastError);
