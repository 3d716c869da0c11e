namespace KSync.Plugin.Errors;

/// <summary>What the user sees of a failure: the message, how to fix it, and the exit code.</summary>
/// <param name="Message">What is wrong, one sentence.</param>
/// <param name="Hint">How to fix it, or null.</param>
/// <param name="ExitCode">The process exit code.</param>
internal sealed record UserError(string Message, string? Hint, int ExitCode);
