namespace KSync.Engine;

/// <summary>
/// A sync could not be set up or broke: <see cref="Exception.Message"/> says what is wrong, <see cref="Hint"/> how to
/// fix it where that is known. A Service records the message as its error and retries; the plugin turns one that
/// escapes a command into an error message and exit code.
/// </summary>
public class SyncEngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, one sentence.</param>
    /// <param name="hint">How to fix it, or null.</param>
    /// <param name="innerException">The underlying failure, or null.</param>
    public SyncEngineException(string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
    }

    /// <summary>Gets how to fix the problem, or null when the message says it all.</summary>
    public string? Hint { get; }
}
