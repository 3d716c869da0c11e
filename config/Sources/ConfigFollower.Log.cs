using Microsoft.Extensions.Logging;

namespace KSync.Config.Sources;

/// <content>Log messages of <see cref="ConfigFollower"/>.</content>
public sealed partial class ConfigFollower
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Specs changed: {SpecCount} specs (project file: {ProjectPath}).")]
        public static partial void Reloaded(ILogger logger, int specCount, string projectPath);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Config no longer parses; keeping the last good one until it is fixed: {Problem}")]
        public static partial void KeptLastGood(ILogger logger, string problem);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Problem}")]
        public static partial void SpecLeftOut(ILogger logger, string problem);
    }
}
