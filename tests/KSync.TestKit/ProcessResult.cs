namespace KSync.TestKit;

/// <summary>What a finished process did.</summary>
/// <param name="ExitCode">Exit code.</param>
/// <param name="Stdout">Everything written to stdout.</param>
/// <param name="Stderr">Everything written to stderr.</param>
/// <param name="Elapsed">Wall time from start to exit.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Gets stdout and stderr together, for assertion messages.</summary>
    public string Output => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    /// <summary>Throws when the exit code is not 0.</summary>
    /// <returns>This result.</returns>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"process failed: {Output}");
        }

        return this;
    }
}
