namespace KSync.Engine.Nodes;

/// <summary>What a restart request did.</summary>
/// <param name="SignalInstead">
/// True when the agent did not restart because a restart would give the container a fresh filesystem and lose the
/// synced files (containerd and CRI-O without a volume); the caller sends a signal instead.
/// </param>
/// <param name="Reason">Why the agent refused, when <paramref name="SignalInstead"/>; otherwise empty.</param>
public sealed record RestartResult(bool SignalInstead, string Reason);
