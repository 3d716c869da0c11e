using Microsoft.Extensions.Logging;

namespace KSync.Syncthing.Folders;

/// <summary>Log messages of <see cref="SharedFolder"/> (EventIds 5060–5079).</summary>
public sealed partial class SharedFolder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5060, Level = LogLevel.Debug, Message = "Folder {FolderId} set up ({Mode}): {LocalPath} ({LocalType}) <-> {RemotePath} ({RemoteType})")]
        public static partial void SetUp(ILogger logger, string folderId, string mode, string localPath, string remotePath, string localType, string remoteType);

        [LoggerMessage(EventId = 5061, Level = LogLevel.Information, Message = "Folder {FolderId}: first sync; local files are the source of truth")]
        public static partial void Seeding(ILogger logger, string folderId);

        [LoggerMessage(EventId = 5062, Level = LogLevel.Information, Message = "Folder {FolderId}: first sync done ({Files} files, {Reverts} revert(s) of remote-only changes) in {Seconds:0.0} s")]
        public static partial void Seeded(ILogger logger, string folderId, long files, int reverts, double seconds);

        [LoggerMessage(EventId = 5063, Level = LogLevel.Warning, Message = "Folder {FolderId}: could not apply changed ignore files: {Reason}")]
        public static partial void IgnoresFailed(ILogger logger, string folderId, string reason);

        [LoggerMessage(EventId = 5064, Level = LogLevel.Debug, Message = "Folder {FolderId} removed from both syncthings")]
        public static partial void TornDown(ILogger logger, string folderId);

        [LoggerMessage(EventId = 5065, Level = LogLevel.Information, Message = "Folder {FolderId}: reverted {Items} change(s) the receive-only remote made on its own")]
        public static partial void RemoteReverted(ILogger logger, string folderId, long items);
    }
}
