using Microsoft.Extensions.Logging;

namespace KSync.Syncthing.Scanning;

/// <summary>Log messages of <see cref="ScanTrigger"/> (EventIds 5090–5099).</summary>
public sealed partial class ScanTrigger
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5090, Level = LogLevel.Debug, Message = "Watching {LocalPath} for changes (debounce {DebounceMs:0} ms)")]
        public static partial void Watching(ILogger logger, string localPath, double debounceMs);

        [LoggerMessage(EventId = 5091, Level = LogLevel.Debug, Message = "Asked syncthing to scan {SubCount} path(s) for {ChangeCount} change(s) (0 = whole folder)")]
        public static partial void Scanned(ILogger logger, int subCount, int changeCount);

        [LoggerMessage(EventId = 5092, Level = LogLevel.Warning, Message = "Scan request failed; syncthing's own watcher will pick the change up: {Reason}")]
        public static partial void ScanFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 5093, Level = LogLevel.Warning, Message = "File watcher on {LocalPath} lost events ({Reason}); scanning the whole folder")]
        public static partial void WatcherError(ILogger logger, string localPath, string reason);
    }
}
