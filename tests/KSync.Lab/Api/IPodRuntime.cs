using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>
/// What the API server asks of the node a pod runs on, as the kubelet's streaming endpoints answer a real API
/// server: a connection to a pod port (port-forward), the command line that runs a command in a container (exec,
/// attach-less), and a container's log.
/// </summary>
internal interface IPodRuntime
{
    /// <summary>Opens a connection to <paramref name="port"/> inside the pod's network namespace.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="port">The pod port.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>A connected duplex stream.</returns>
    Task<Stream> ConnectAsync(JsonObject pod, int port, CancellationToken cancellationToken);

    /// <summary>The command line that runs <paramref name="command"/> in a running container of the pod.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">Container name.</param>
    /// <param name="command">Command and arguments.</param>
    /// <param name="tty">Whether to allocate a terminal.</param>
    /// <returns>File name and arguments.</returns>
    /// <exception cref="ApiException">The container does not run (400, as the kubelet answers).</exception>
    (string FileName, string[] Arguments) ExecCommand(JsonObject pod, string container, IReadOnlyList<string> command, bool tty);

    /// <summary>Reads a container's log.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">Container name.</param>
    /// <param name="previous">The previous (dead) instance instead of the current one.</param>
    /// <param name="follow">Keep reading until the container stops or the request ends.</param>
    /// <param name="cancellationToken">Ends the read.</param>
    /// <returns>Lines with their time.</returns>
    /// <exception cref="ApiException">No such container instance (400).</exception>
    IAsyncEnumerable<(DateTime Time, string Line)> LogsAsync(JsonObject pod, string container, bool previous, bool follow, CancellationToken cancellationToken);
}
