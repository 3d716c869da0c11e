using Microsoft.Extensions.Logging;

namespace KSync.Engine.Identity;

/// <content>Log messages of <see cref="LeftoverSweeper"/>.</content>
public sealed partial class LeftoverSweeper
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3701, Level = LogLevel.Information, Message = "Removing folder {FolderId}: {Reason}.")]
        public static partial void Leftover(ILogger logger, string folderId, string reason);

        [LoggerMessage(EventId = 3702, Level = LogLevel.Debug, Message = "Could not check {Namespace}/{PodName} for leftovers: {Reason}")]
        public static partial void LookupFailed(ILogger logger, string @namespace, string podName, string reason);

        [LoggerMessage(EventId = 3703, Level = LogLevel.Warning, Message = "Removing leftover folders failed: {Reason}")]
        public static partial void SweepFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 3704, Level = LogLevel.Debug, Message = "Folder {FolderId} stays on node {NodeName} until the next session: {Reason}")]
        public static partial void NodeRemovalDeferred(ILogger logger, string folderId, string nodeName, string reason);
    }
}
