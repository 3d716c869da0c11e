using Microsoft.Extensions.Logging;

namespace KSync.Config.Store;

/// <content>Log messages of <see cref="ConfigFollower"/>.</content>
public sealed partial class ConfigFollower
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Config {Path} changed: {SpecCount} specs.")]
        public static partial void Reloaded(ILogger logger, string path, int specCount);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Config no longer parses; keeping the last good one until it is fixed: {Problem}")]
        public static partial void KeptLastGood(ILogger logger, string problem);
    }
}
