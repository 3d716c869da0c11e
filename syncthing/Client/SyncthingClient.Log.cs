using Microsoft.Extensions.Logging;

namespace KSync.Syncthing.Client;

/// <summary>Log messages of <see cref="SyncthingClient"/> (EventIds 5000–5019).</summary>
public sealed partial class SyncthingClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Debug, Message = "syncthing request failed transiently; retry {Attempt} in {DelayMs:0} ms: {Reason}")]
        public static partial void Retrying(ILogger logger, int attempt, double delayMs, string? reason);
    }
}
