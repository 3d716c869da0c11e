namespace KSync.Lab.Nodes;

/// <summary>A node engine refused or failed an operation; the message is the engine's.</summary>
internal sealed class EngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The engine's message.</param>
    public EngineException(string message)
        : base(message)
    {
    }
}
