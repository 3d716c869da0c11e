namespace KSync.Engine.Nodes;

/// <summary>
/// An open link to one node's agent: where the node syncthing's REST API and sync port are reachable from this
/// machine, the agent's requests, and a signal when the link closes.
/// </summary>
public interface INodeLink : IAsyncDisposable
{
    /// <summary>Gets the node's name.</summary>
    string NodeName { get; }

    /// <summary>Gets how to reach the node syncthing from this machine.</summary>
    NodeSyncthing Syncthing { get; }

    /// <summary>Gets the node agent's requests (resolve a path, restart, signal).</summary>
    INodeAgent Agent { get; }

    /// <summary>
    /// Gets a token cancelled as soon as the link broke (a port-forward or stream to the node closed from the node's
    /// side, or could not be opened) and when it is disposed. The node session then breaks, and its Folders show
    /// reconnecting and resume on a new link (docs/architecture.md, "Statuses").
    /// </summary>
    CancellationToken Closed { get; }

    /// <summary>Gets why <see cref="Closed"/> was cancelled (one line), or null while open.</summary>
    string? ClosedReason { get; }
}
