using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>
/// Opens the connection a port-forward carries: to <paramref name="port"/> of the pod, as the kubelet would
/// (into the container's network namespace, or to the node agent's process).
/// </summary>
/// <param name="pod">The pod object.</param>
/// <param name="port">The pod port.</param>
/// <param name="cancellationToken">Cancels the connect.</param>
/// <returns>A connected duplex stream.</returns>
internal delegate Task<Stream> PortForwardConnector(JsonObject pod, int port, CancellationToken cancellationToken);
