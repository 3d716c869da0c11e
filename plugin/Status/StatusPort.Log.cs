using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Status;

/// <content>Log messages of <see cref="StatusPort"/>.</content>
internal static partial class StatusPort
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Port {Port} on 127.0.0.1 is held by closed connections in TIME_WAIT (not by a watch); waiting up to {WaitSeconds} s for the kernel to release it.")]
        public static partial void WaitingForTimeWait(ILogger logger, int port, double waitSeconds);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Port {Port} on 127.0.0.1 is the local end of a connection of {Holder} ({State}), not a watch; waiting up to {WaitSeconds} s for it to close.")]
        public static partial void WaitingForConnection(ILogger logger, int port, string holder, string state, double waitSeconds);
    }
}
