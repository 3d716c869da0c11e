using Microsoft.Extensions.Logging;

namespace KSync.Engine.Events;

/// <content>Log messages of <see cref="SyncthingEventHub"/>.</content>
public sealed partial class SyncthingEventHub
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Events of syncthing {Side} could not be read: {Reason}. Retrying in {DelaySeconds:0.#} s.")]
        public static partial void PollFailed(ILogger logger, string side, string reason, double delaySeconds);

        [LoggerMessage(EventId = 3302, Level = LogLevel.Debug, Message = "{Count} events of syncthing {Side} were lost (buffer overrun).")]
        public static partial void EventsLost(ILogger logger, string side, long count);
    }
}
