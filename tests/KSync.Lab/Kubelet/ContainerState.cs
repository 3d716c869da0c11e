namespace KSync.Lab.Kubelet;

/// <summary>A container's state as Docker reports it (<c>docker inspect .State</c>).</summary>
/// <param name="Exists">Whether the engine knows the container.</param>
/// <param name="Running">Whether it runs.</param>
/// <param name="ExitCode">Last exit code.</param>
/// <param name="StartedAt">Docker's StartedAt.</param>
/// <param name="FinishedAt">Docker's FinishedAt.</param>
/// <param name="Error">Docker's error text, if any.</param>
internal sealed record ContainerState(bool Exists, bool Running, int ExitCode, string? StartedAt, string? FinishedAt, string? Error);
