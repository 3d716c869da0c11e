namespace KSync.Engine.Nodes;

/// <summary>What a signal request did.</summary>
/// <param name="Pid">The process (in the node's PID namespace) that got the signal.</param>
public sealed record SignalResult(int Pid);
