namespace KSync.Radar.Syncthing;

/// <content>Log messages of <see cref="SyncthingBootstrapper"/> (EventIds 7100-7199).</content>
internal sealed partial class SyncthingBootstrapper
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 7100, EventName = "SyncthingConfigured", Level = LogLevel.Information,
            Message = "Configured the node syncthing {DeviceId}: sync listener tcp://127.0.0.1:{SyncPort}; discovery, relays, NAT, reporting and upgrades off")]
        public static partial void SyncthingConfigured(ILogger logger, string deviceId, int syncPort);

        [LoggerMessage(EventId = 7101, EventName = "SyncthingConfigureFailed", Level = LogLevel.Warning,
            Message = "Could not configure the node syncthing at {Address}; retrying")]
        public static partial void SyncthingConfigureFailed(ILogger logger, Uri address, Exception exception);

        [LoggerMessage(EventId = 7102, EventName = "SyncthingGone", Level = LogLevel.Warning,
            Message = "The node syncthing at {Address} stopped answering")]
        public static partial void SyncthingGone(ILogger logger, Uri address);

        [LoggerMessage(EventId = 7103, EventName = "NoApiKey", Level = LogLevel.Warning,
            Message = "KSYNC_SYNCTHING_API_KEY is not set: radar cannot configure or check the node syncthing")]
        public static partial void NoApiKey(ILogger logger);
    }
}
