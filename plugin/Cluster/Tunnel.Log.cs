using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Cluster;

/// <content>Log messages (EventIds 4020-4039).</content>
internal sealed partial class Tunnel
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4020, Level = LogLevel.Debug, Message = "Tunnel 127.0.0.1:{LocalPort} leads to port {RemotePort} of a pod in {Namespace}")]
        public static partial void Listening(ILogger logger, int localPort, string @namespace, int remotePort);

        [LoggerMessage(EventId = 4021, Level = LogLevel.Debug, Message = "Tunnel 127.0.0.1:{LocalPort}: port-forward to {Namespace}/{PodName}:{RemotePort} opened")]
        public static partial void Opened(ILogger logger, int localPort, string @namespace, string podName, int remotePort);

        [LoggerMessage(EventId = 4022, Level = LogLevel.Debug, Message = "Port-forward to {Namespace} port {RemotePort}, attempt {Attempt} failed: {Error}")]
        public static partial void OpenRetry(ILogger logger, string @namespace, int remotePort, int attempt, string error);

        [LoggerMessage(EventId = 4023, Level = LogLevel.Warning, Message = "Port-forward to {Namespace} port {RemotePort} cannot be opened: {Error}")]
        public static partial void OpenFailed(ILogger logger, string @namespace, int remotePort, string error);

        [LoggerMessage(EventId = 4024, Level = LogLevel.Warning, Message = "Port-forward to {Namespace}/{PodName}:{RemotePort} reported: {Error}")]
        public static partial void RemoteError(ILogger logger, string @namespace, string podName, int remotePort, string error);
    }
}
