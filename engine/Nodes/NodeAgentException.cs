namespace KSync.Engine.Nodes;

/// <summary>
/// The node agent answered a request with an error, or could not be reached. Thrown by <see cref="INodeAgent"/>
/// implementations; cancellation is an <see cref="OperationCanceledException"/> instead.
/// </summary>
public sealed class NodeAgentException : SyncEngineException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The agent's status code name, e.g. <c>NotFound</c>, <c>Unavailable</c>.</param>
    /// <param name="detail">The agent's own message.</param>
    /// <param name="innerException">The transport's exception, or null.</param>
    public NodeAgentException(string code, string detail, Exception? innerException = null)
        : base($"{code}: {detail}", null, innerException)
    {
        Code = code;
        Detail = detail;
    }

    /// <summary>Gets the agent's status code name, e.g. <c>NotFound</c> (an unknown container), <c>Unavailable</c>.</summary>
    public string Code { get; }

    /// <summary>Gets the agent's own message.</summary>
    public string Detail { get; }
}
