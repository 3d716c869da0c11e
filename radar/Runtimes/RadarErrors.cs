using Grpc.Core;

namespace KSync.Radar.Runtimes;

/// <summary>
/// The gRPC statuses radar answers with (proto/radar.proto documents them per RPC). Everything radar rejects or
/// cannot do is one of these, never a generic failure, so the plugin can branch on <see cref="RpcException.StatusCode"/>.
/// </summary>
internal static class RadarErrors
{
    /// <summary>Malformed input: container ID, remote path, signal or timeout.</summary>
    /// <param name="message">What is wrong.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    /// <summary>The runtime does not know the container.</summary>
    /// <param name="message">Which container.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));

    /// <summary>The request cannot be served on this node as it is (runtime not here, container not running).</summary>
    /// <param name="message">What is missing.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException FailedPrecondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    /// <summary>The runtime's socket exists but does not answer.</summary>
    /// <param name="message">Which socket and why.</param>
    /// <param name="inner">The transport error, or null.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException Unavailable(string message, Exception? inner = null) => new(new Status(StatusCode.Unavailable, message, inner));

    /// <summary>radar refuses to act on the container (not in a pod, radar's own pod).</summary>
    /// <param name="message">Why.</param>
    /// <returns>The exception to throw.</returns>
    public static RpcException PermissionDenied(string message) => new(new Status(StatusCode.PermissionDenied, message));
}
