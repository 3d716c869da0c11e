namespace KSync.Lab.Nodes;

/// <summary>A container's state as its engine reports it.</summary>
/// <param name="Exists">Whether the engine knows the container.</param>
/// <param name="Running">Whether it runs.</param>
/// <param name="ExitCode">Last exit code.</param>
/// <param name="StartedAt">When it started (UTC), or null when it never did.</param>
/// <param name="FinishedAt">When it exited (UTC), or null.</param>
/// <param name="Pid">Its main process on the node, or 0.</param>
/// <param name="Reason">The engine's reason for a failure (OOMKilled, Error text), or null.</param>
internal sealed record EngineState(bool Exists, bool Running, int ExitCode, DateTime? StartedAt, DateTime? FinishedAt, int Pid, string? Reason)
{
    /// <summary>Gets the state of a container the engine does not know.</summary>
    public static EngineState Missing { get; } = new(false, false, 0, null, null, 0, null);
}
