namespace KSync.Engine.Nodes;

/// <summary>
/// Opens links to the node agents (radar and the node syncthing on each cluster node). The plugin implements it over
/// Kubernetes port-forwards; tests use fakes.
/// </summary>
public interface INodeConnector
{
    /// <summary>Connects to the node agent on <paramref name="nodeName"/>.</summary>
    /// <param name="nodeName">The node, as the pod's <c>spec.nodeName</c> names it.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The open link; dispose it to close it.</returns>
    /// <exception cref="Exception">No agent is ready on the node, or it does not answer (the message says which).</exception>
    Task<INodeLink> ConnectAsync(string nodeName, CancellationToken cancellationToken);
}
