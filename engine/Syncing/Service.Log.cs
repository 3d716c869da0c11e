using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <content>Log messages of <see cref="Service"/>.</content>
public sealed partial class Service
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Sync of spec {SpecName} with pod {PodName} failed: {Reason}. Retrying in {DelaySeconds:0.#} s.")]
        public static partial void FolderFailed(ILogger logger, string specName, string podName, string reason, double delaySeconds);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Sync of spec {SpecName} with pod {PodName} did not stop within 10 s.")]
        public static partial void StopTimedOut(ILogger logger, string specName, string podName);
    }
}
