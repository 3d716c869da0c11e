using Microsoft.Extensions.Logging;

namespace KSync.Engine.Nodes;

/// <content>Log messages of <see cref="NodeSession"/>.</content>
public sealed partial class NodeSession
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Connected to the node agent on {NodeName}: syncthing {DeviceId} ({Version}).")]
        public static partial void Connected(ILogger logger, string nodeName, string deviceId, string version);

        [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Connection to node {NodeName} broke: {Reason}. Reconnecting.")]
        public static partial void SessionBroken(ILogger logger, string nodeName, string reason);

        [LoggerMessage(EventId = 3404, Level = LogLevel.Information, Message = "Removed folder {FolderId} from node {NodeName}: no sync of this machine uses it.")]
        public static partial void LeftoverRemoved(ILogger logger, string nodeName, string folderId);
    }
}
