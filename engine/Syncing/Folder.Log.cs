using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <content>Log messages of <see cref="Folder"/>.</content>
public sealed partial class Folder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3601, Level = LogLevel.Debug, Message = "Spec {SpecName}, pod {PodName}: {RemotePath} is {NodePath} on the node ({Backend}).")]
        public static partial void Resolved(ILogger logger, string specName, string podName, string remotePath, string nodePath, string backend);

        [LoggerMessage(EventId = 3602, Level = LogLevel.Information, Message = "Spec {SpecName}: {LocalPath} is in sync with pod {PodName} ({NodePath}); watching.")]
        public static partial void Syncing(ILogger logger, string specName, string podName, string localPath, string nodePath);

        [LoggerMessage(EventId = 3603, Level = LogLevel.Information, Message = "Spec {SpecName}: reloaded pod {PodName} ({Outcome}{ManualSuffix}).")]
        private static partial void ReloadedCore(ILogger logger, string specName, string podName, string outcome, string manualSuffix);

        [LoggerMessage(EventId = 3604, Level = LogLevel.Warning, Message = "Spec {SpecName}: pod {PodName} is not restarted because {Reason}; sending SIG{Signal} instead from now on.")]
        public static partial void RestartFallback(ILogger logger, string specName, string podName, string reason, string signal);

        [LoggerMessage(EventId = 3605, Level = LogLevel.Error, Message = "Spec {SpecName}: reloading pod {PodName} failed: {Reason}")]
        public static partial void ReloadFailed(ILogger logger, string specName, string podName, string reason);

        [LoggerMessage(EventId = 3606, Level = LogLevel.Debug, Message = "Folder {FolderId} could not be removed everywhere: {Reason}")]
        public static partial void RetireFailed(ILogger logger, string folderId, string reason);

        [LoggerMessage(EventId = 3607, Level = LogLevel.Information, Message = "Local syncthing restarted; applying folder {FolderId} again.")]
        public static partial void Reapplying(ILogger logger, string folderId);

        [LoggerMessage(EventId = 3608, Level = LogLevel.Debug, Message = "Rescan of folder {FolderId} on the node failed: {Reason}")]
        public static partial void RescanFailed(ILogger logger, string folderId, string reason);

        [LoggerMessage(EventId = 3609, Level = LogLevel.Debug, Message = "Folder {FolderId}: the node finished {Action} of {Item}; a reload is due after the debounce.")]
        public static partial void ReloadDue(ILogger logger, string folderId, string? action, string? item);

        [LoggerMessage(EventId = 3610, Level = LogLevel.Information, Message = "Spec {SpecName}, pod {PodName}: folder {FolderId}, {Mode} because {Why}.")]
        private static partial void SetUpDecidedCore(ILogger logger, string specName, string podName, string folderId, string mode, string why);

        [LoggerMessage(EventId = 3611, Level = LogLevel.Warning, Message = "Spec {SpecName}, pod {PodName}: reconnecting ({Reason}).")]
        public static partial void Reconnecting(ILogger logger, string specName, string podName, string reason);

        [LoggerMessage(EventId = 3612, Level = LogLevel.Information, Message = "Spec {SpecName}, pod {PodName}: files in {RemotePath} get owner {Owner} ({Why}); {Created} directories created.")]
        public static partial void Owned(ILogger logger, string specName, string podName, string remotePath, string owner, string why, int created);

        [LoggerMessage(EventId = 3613, Level = LogLevel.Warning, Message = "Spec {SpecName}, pod {PodName}: {Warning}")]
        public static partial void OwnerNotSet(ILogger logger, string specName, string podName, string warning);

        public static void SetUpDecided(ILogger logger, string specName, string podName, string folderId, KSync.Syncthing.Folders.SetUpMode mode, string why)
            => SetUpDecidedCore(logger, specName, podName, folderId, mode == KSync.Syncthing.Folders.SetUpMode.FirstSync ? "first sync" : "resuming", why);

        public static void Reloaded(ILogger logger, string specName, string podName, string outcome, bool manual)
            => ReloadedCore(logger, specName, podName, outcome, manual ? ", on request" : string.Empty);

        [LoggerMessage(EventId = 3620, Level = LogLevel.Information, Message = "Spec {SpecName}, pod {PodName}: seeded the container with {Files} files ({Bytes} bytes); {Sent} of {Entries} local entries differed, {Skipped} left to syncthing; {Seconds:0.00} s.")]
        public static partial void Seeded(ILogger logger, string specName, string podName, int entries, int sent, int files, long bytes, int skipped, double seconds);

        [LoggerMessage(EventId = 3621, Level = LogLevel.Warning, Message = "Spec {SpecName}, pod {PodName}: the seed failed ({Reason}); syncthing sends the files instead.")]
        public static partial void SeedFailed(ILogger logger, string specName, string podName, string reason);

        [LoggerMessage(EventId = 3622, Level = LogLevel.Information, Message = "Spec {SpecName}, pod {PodName}: the first sync removed {Path} from the container (not in the local folder).")]
        public static partial void FirstSyncRemoved(ILogger logger, string specName, string podName, string path);

        [LoggerMessage(EventId = 3623, Level = LogLevel.Information, Message = "Spec {SpecName}, pod {PodName}: seeding the container from {LocalPath}.")]
        public static partial void SeedStarted(ILogger logger, string specName, string podName, string localPath);
    }
}
