namespace KSync.Config.Store;

/// <summary>
/// ksync.yaml cannot be read or written: <see cref="Exception.Message"/> says what is wrong, <see cref="Hint"/> how to
/// fix it. The file is left untouched. The plugin turns it into an error message and exit code at its edge.
/// </summary>
public class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, one sentence.</param>
    /// <param name="hint">How to fix it, or null.</param>
    /// <param name="innerException">The underlying failure, or null.</param>
    public ConfigException(string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
    }

    /// <summary>Gets how to fix the problem, or null when the message says it all.</summary>
    public string? Hint { get; }
}
