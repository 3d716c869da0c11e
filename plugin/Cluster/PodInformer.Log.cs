using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Cluster;

/// <content>Log messages (EventIds 4000-4019).</content>
internal sealed partial class PodInformer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "Listed {Count} pods in {Namespace} at resourceVersion {ResourceVersion}")]
        public static partial void Listed(ILogger logger, string @namespace, int count, string resourceVersion);

        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Watching pods in {Namespace} from resourceVersion {ResourceVersion}")]
        public static partial void Connected(ILogger logger, string @namespace, string resourceVersion);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Pod watch in {Namespace} lost; reconnecting in {DelaySeconds:0.0} s: {Error}")]
        public static partial void Reconnecting(ILogger logger, string @namespace, double delaySeconds, string error);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Pod watch in {Namespace} broke: {Error}")]
        public static partial void WatchBroken(ILogger logger, string @namespace, string error);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Pod watch in {Namespace}: resourceVersion {ResourceVersion} expired (410); listing again")]
        public static partial void Expired(ILogger logger, string @namespace, string resourceVersion);

        [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Pod watch in {Namespace} silent for {Seconds:0} s; reopening it")]
        public static partial void WatchIdle(ILogger logger, string @namespace, double seconds);
    }
}
