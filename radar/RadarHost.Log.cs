namespace KSync.Radar;

/// <content>Log messages of <see cref="RadarHost"/> (EventIds 7200-7299).</content>
internal static partial class RadarHost
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 7200, EventName = "Listening", Level = LogLevel.Information,
            Message = "radar listening on {GrpcEndpoint} (health-only endpoint {HealthEndpoint})")]
        public static partial void Listening(ILogger logger, System.Net.IPEndPoint grpcEndpoint, System.Net.IPEndPoint? healthEndpoint);

        [LoggerMessage(EventId = 7201, EventName = "RuntimeSocket", Level = LogLevel.Information,
            Message = "{Runtime} socket: {Socket} (tried {Candidates})")]
        public static partial void RuntimeSocket(ILogger logger, string runtime, string socket, string candidates);

        [LoggerMessage(EventId = 7202, EventName = "SyncthingTarget", Level = LogLevel.Information,
            Message = "Node syncthing API {Address}; its sync listener is pinned to 127.0.0.1:{SyncPort}")]
        public static partial void SyncthingTarget(ILogger logger, Uri address, int syncPort);
    }
}
