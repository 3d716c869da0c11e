using Grpc.Core;
using KSync.Radar.Runtimes;

namespace KSync.Radar;

/// <content>Log messages of <see cref="RadarService"/> (EventIds 7000-7099).</content>
internal sealed partial class RadarService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 7000, EventName = "BasePathResolved", Level = LogLevel.Debug,
            Message = "{ContainerId} {RemotePath} -> {NodePath} (backend {Backend}, on volume {OnVolume})")]
        public static partial void BasePathResolved(ILogger logger, ContainerRef containerId, string remotePath, string nodePath, string backend, bool onVolume);

        [LoggerMessage(EventId = 7001, EventName = "Restarted", Level = LogLevel.Information,
            Message = "Restarted {ContainerId} of pod {PodNamespace}/{PodName}")]
        public static partial void Restarted(ILogger logger, ContainerRef containerId, string? podNamespace, string? podName);

        [LoggerMessage(EventId = 7002, EventName = "RestartDeclined", Level = LogLevel.Information,
            Message = "Did not restart {ContainerId}: {Reason}")]
        public static partial void RestartDeclined(ILogger logger, ContainerRef containerId, string reason);

        [LoggerMessage(EventId = 7003, EventName = "Signalled", Level = LogLevel.Information,
            Message = "Sent SIG{Signal} to {ContainerId} (pid {Pid})")]
        public static partial void Signalled(ILogger logger, ContainerRef containerId, string signal, int pid);

        [LoggerMessage(EventId = 7004, EventName = "Refused", Level = LogLevel.Warning,
            Message = "Refused to reload {ContainerId}: {Reason}")]
        public static partial void Refused(ILogger logger, ContainerRef containerId, string reason);

        [LoggerMessage(EventId = 7010, EventName = "FolderPrepared", Level = LogLevel.Information,
            Message = "Prepared {NodePath} of {ContainerId}: owner {Owner} ({Why}), {Created} directories created, chown error: {ChownError}")]
        public static partial void FolderPrepared(ILogger logger, ContainerRef containerId, string nodePath, Ownership.FileOwner owner, string why, int created, string chownError);

        [LoggerMessage(EventId = 7011, EventName = "Seeded", Level = LogLevel.Information,
            Message = "Seeded {NodePath} of {ContainerId}: {Files} files, {Directories} directories, {Symlinks} symlinks, {Bytes} bytes, {Skipped} skipped")]
        public static partial void Seeded(ILogger logger, ContainerRef containerId, string nodePath, uint files, uint directories, uint symlinks, ulong bytes, int skipped);

        [LoggerMessage(EventId = 7012, EventName = "SeedRefused", Level = LogLevel.Warning,
            Message = "Refused a seed for {ContainerId}: {Reason}")]
        public static partial void SeedRefused(ILogger logger, ContainerRef containerId, string reason);

        [LoggerMessage(EventId = 7030, EventName = "FolderHashed", Level = LogLevel.Information,
            Message = "Hashed {NodePath} of {ContainerId}: {Entries} entries")]
        public static partial void FolderHashed(ILogger logger, ContainerRef containerId, string nodePath, int entries);

        [LoggerMessage(EventId = 7005, EventName = "RuntimeProblem", Level = LogLevel.Warning,
            Message = "Runtime could not answer for {ContainerId}: {StatusCode} {Detail}")]
        public static partial void RuntimeProblem(ILogger logger, ContainerRef containerId, StatusCode statusCode, string detail);
    }
}
