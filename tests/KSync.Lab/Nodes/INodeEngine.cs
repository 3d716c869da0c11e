using KSync.TestKit;

namespace KSync.Lab.Nodes;

/// <summary>
/// The container engine of one lab node, as the lab kubelet drives it: pod sandboxes, containers, images, exec,
/// logs. Implemented over the Docker Engine (<see cref="DockerNodeEngine"/>) and containerd's CRI
/// (<see cref="ContainerdNodeEngine"/>). Every path handed in is a node path (see <see cref="NodeFilesystem"/>).
/// </summary>
internal interface INodeEngine : IAsyncDisposable
{
    /// <summary>Gets the runtime.</summary>
    NodeRuntime Runtime { get; }

    /// <summary>Gets the scheme of container IDs in pod status: "docker" or "containerd".</summary>
    string Scheme { get; }

    /// <summary>Gets the node's filesystem mapping.</summary>
    NodeFilesystem Filesystem { get; }

    /// <summary>Gets the PID of the node's daemon (its mount namespace is the node's).</summary>
    int DaemonPid { get; }

    /// <summary>Gets "name://version" for the node's status.nodeInfo.containerRuntimeVersion.</summary>
    string RuntimeVersion { get; }

    /// <summary>Loads an image archive in <c>docker save</c> format (what a pull would bring).</summary>
    /// <param name="archive">Path of the archive on the host.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>A task.</returns>
    Task LoadImageAsync(string archive, CancellationToken cancellationToken);

    /// <summary>What the node knows about an image.</summary>
    /// <param name="image">Image reference as a pod names it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The facts, or null when the image is not on the node.</returns>
    Task<ImageFacts?> InspectImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Creates and starts a pod sandbox with its own network namespace (or the node's for hostNetwork).</summary>
    /// <param name="plan">The sandbox.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The sandbox ID and the pod IP ("" for hostNetwork).</returns>
    Task<(string Id, string PodIp)> RunSandboxAsync(SandboxPlan plan, CancellationToken cancellationToken);

    /// <summary>A process in the sandbox's network namespace, for port-forward and probes.</summary>
    /// <param name="sandboxId">The sandbox.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The PID, or 0 when the sandbox is gone.</returns>
    Task<int> SandboxPidAsync(string sandboxId, CancellationToken cancellationToken);

    /// <summary>Stops and removes a sandbox and whatever still runs in it.</summary>
    /// <param name="sandboxId">The sandbox.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task RemoveSandboxAsync(string sandboxId, CancellationToken cancellationToken);

    /// <summary>Creates a container in a sandbox (not started).</summary>
    /// <param name="sandboxId">The sandbox.</param>
    /// <param name="sandbox">The sandbox's plan.</param>
    /// <param name="plan">The container.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The container ID.</returns>
    /// <exception cref="EngineException">The engine refused the container.</exception>
    Task<string> CreateContainerAsync(string sandboxId, SandboxPlan sandbox, ContainerPlan plan, CancellationToken cancellationToken);

    /// <summary>Starts a created container.</summary>
    /// <param name="id">Container ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="EngineException">The start failed.</exception>
    Task StartContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stops a container: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    /// <param name="id">Container ID.</param>
    /// <param name="grace">Grace period.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Removes a container (stopping it first if needed).</summary>
    /// <param name="id">Container ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task RemoveContainerAsync(string id, CancellationToken cancellationToken);

    /// <summary>The container's state.</summary>
    /// <param name="id">Container ID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The state (<see cref="EngineState.Missing"/> when unknown).</returns>
    Task<EngineState> InspectAsync(string id, CancellationToken cancellationToken);

    /// <summary>The command line that runs a command in a container, as <c>kubectl exec</c> does.</summary>
    /// <param name="id">Container ID.</param>
    /// <param name="command">Command and arguments.</param>
    /// <param name="tty">Whether to allocate a terminal.</param>
    /// <returns>File name and arguments; the process's stdin, stdout and stderr are the exec's.</returns>
    (string FileName, string[] Arguments) ExecCommand(string id, IReadOnlyList<string> command, bool tty);

    /// <summary>Reads a container's output (stdout and stderr), oldest first.</summary>
    /// <param name="id">Container ID.</param>
    /// <param name="logPath">The container's log file as a node path (CRI), or null.</param>
    /// <param name="follow">Keep reading new lines until cancelled or the container is removed.</param>
    /// <param name="cancellationToken">Ends the read.</param>
    /// <returns>Lines with the time they were written (UTC).</returns>
    IAsyncEnumerable<(DateTime Time, string Line)> ReadLogsAsync(string id, string? logPath, bool follow, CancellationToken cancellationToken);
}
