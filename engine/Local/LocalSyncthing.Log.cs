using Microsoft.Extensions.Logging;

namespace KSync.Engine.Local;

/// <content>Log messages of <see cref="LocalSyncthing"/>.</content>
public sealed partial class LocalSyncthing
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Local syncthing {Version} running as {DeviceId} (API 127.0.0.1:{ApiPort}).")]
        public static partial void Started(ILogger logger, string version, string deviceId, int apiPort);

        [LoggerMessage(EventId = 3502, Level = LogLevel.Debug, Message = "Local syncthing stopped.")]
        public static partial void Stopped(ILogger logger);
    }
}
