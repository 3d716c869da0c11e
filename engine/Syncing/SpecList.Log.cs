using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <content>Log messages of <see cref="SpecList"/>.</content>
public sealed partial class SpecList
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Spec {SpecName} added.")]
        public static partial void Added(ILogger logger, string specName);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Spec {SpecName} edited; restarting its syncs with the new details.")]
        public static partial void Edited(ILogger logger, string specName);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Spec {SpecName} deleted; stopping its syncs.")]
        public static partial void Removed(ILogger logger, string specName);

        [LoggerMessage(EventId = 3204, Level = LogLevel.Error, Message = "Spec name {SpecName} appears more than once in the config; only the first is used.")]
        public static partial void DuplicateName(ILogger logger, string specName);
    }
}
