using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <content>Log messages of <see cref="Spec"/>.</content>
public sealed partial class Spec
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Spec {SpecName} matches {ContainerCount} running containers.")]
        public static partial void Matched(ILogger logger, string specName, int containerCount);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Spec {SpecName} is invalid and will not sync: {Problem}")]
        public static partial void SpecInvalid(ILogger logger, string specName, string problem);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Spec {SpecName} cannot follow its pods.")]
        public static partial void FollowFailed(ILogger logger, string specName, Exception exception);
    }
}
