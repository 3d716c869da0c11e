namespace KSync.Plugin.Errors;

/// <summary>
/// A failure the user can act on: <see cref="Exception.Message"/> says what is wrong, <see cref="Hint"/> how to fix it.
/// The plugin's own failures; <see cref="UserErrors"/> turns it (and the other layers' failures) into what the command
/// prints and its exit code.
/// </summary>
internal class KsyncException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, one sentence.</param>
    /// <param name="hint">How to fix it, or null.</param>
    /// <param name="innerException">The underlying failure, or null.</param>
    public KsyncException(string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
    }

    /// <summary>Gets how to fix the problem, or null when the message says it all.</summary>
    public string? Hint { get; }

    /// <summary>Gets the process exit code; <see cref="ExitCodes.Failure"/> unless a subclass says otherwise.</summary>
    public virtual int ExitCode => ExitCodes.Failure;
}
