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
    /// Gets a token cancelled when the link closed and will not come back by itself (the node session then breaks
    /// and its Folders are set up again on a new link). Links that re-open their transport transparently cancel it
    /// only when disposed.
    /// </summary>
    CancellationToken Closed { get; }
}
