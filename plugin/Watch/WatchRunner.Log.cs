using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Watch;

/// <content>Log messages of <see cref="WatchRunner"/>.</content>
internal sealed partial class WatchRunner
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Starting watch against {Server} (context {Context}); config in {Home}.")]
        public static partial void Starting(ILogger logger, string server, string context, string home);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Watching. Status on 127.0.0.1:{Port} ('kubectl ksync get'); Ctrl-C stops.")]
        public static partial void Running(ILogger logger, int port);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Stopped: every folder and tunnel torn down in {ElapsedMs} ms.")]
        public static partial void Stopped(ILogger logger, long elapsedMs);
    }
}
