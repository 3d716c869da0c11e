using KSync.Proto.Radar.V1;
using KSync.Radar.Reload;

namespace KSync.Radar.Runtimes;

/// <summary>
/// One container runtime on the node (Docker Engine API, or the CRI of containerd or CRI-O). Errors are
/// <see cref="Grpc.Core.RpcException"/>s from <see cref="RadarErrors"/>: NotFound for an unknown container,
/// FailedPrecondition when the runtime is not on this node, Unavailable when its socket does not answer.
/// </summary>
internal interface IContainerRuntime
{
    /// <summary>Gets which runtime this is.</summary>
    RuntimeKind Kind { get; }

    /// <summary>Gets a value indicating whether a restart keeps the container's root filesystem (Docker: yes; CRI: no, the kubelet makes a new container).</summary>
    bool RestartKeepsRootFilesystem { get; }

    /// <summary>Finds the runtime's socket and asks it for its version and storage, for <c>doctor</c>.</summary>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <returns>The backend description; <c>available</c> false with <c>error</c> set when it does not answer.</returns>
    Task<RuntimeBackend> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Inspects a container.</summary>
    /// <param name="container">The container (its <see cref="ContainerRef.Runtime"/> is this runtime).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Its details.</returns>
    Task<ContainerDetails> InspectAsync(ContainerRef container, CancellationToken cancellationToken);

    /// <summary>Restarts a container (Docker: restart; CRI: stop, and the kubelet starts a new one).</summary>
    /// <param name="container">The container.</param>
    /// <param name="timeoutSeconds">Seconds between SIGTERM and SIGKILL.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the runtime accepted the restart.</returns>
    Task RestartAsync(ContainerRef container, int timeoutSeconds, CancellationToken cancellationToken);

    /// <summary>Sends a signal to the container's main process.</summary>
    /// <param name="container">The container as inspected (running).</param>
    /// <param name="signal">The signal.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The process ID that got the signal.</returns>
    Task<int> SignalAsync(ContainerDetails container, PosixSignal signal, CancellationToken cancellationToken);
}
