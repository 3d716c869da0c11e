using Microsoft.Extensions.Logging;

namespace KSync.Syncthing.Processes;

/// <summary>Log messages of <see cref="SyncthingProcess"/> (EventIds 5020–5049).</summary>
public sealed partial class SyncthingProcess
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Generated a new syncthing identity in {Home}")]
        public static partial void Generated(ILogger logger, string home);

        [LoggerMessage(EventId = 5021, Level = LogLevel.Debug, Message = "syncthing started (PID {Pid}), API 127.0.0.1:{ApiPort}, sync 127.0.0.1:{ListenPort}")]
        public static partial void Launched(ILogger logger, int pid, int apiPort, int listenPort);

        [LoggerMessage(EventId = 5022, Level = LogLevel.Information, Message = "Local syncthing {Version} is up: device {DeviceId}, API 127.0.0.1:{ApiPort}, sync 127.0.0.1:{ListenPort}, PID {Pid}")]
        public static partial void Started(ILogger logger, string version, string deviceId, int apiPort, int listenPort, int pid);

        [LoggerMessage(EventId = 5023, Level = LogLevel.Warning, Message = "syncthing exited with code {ExitCode}; restarting in {DelayS:0.#} s. Last lines of its log:\n{Tail}")]
        public static partial void Died(ILogger logger, int exitCode, double delayS, string tail);

        [LoggerMessage(EventId = 5024, Level = LogLevel.Warning, Message = "syncthing did not restart: {Reason}; next try in {DelayS:0.#} s")]
        public static partial void RestartFailed(ILogger logger, string reason, double delayS);

        [LoggerMessage(EventId = 5025, Level = LogLevel.Information, Message = "syncthing restarted (restart {Count}, PID {Pid})")]
        public static partial void Restarted(ILogger logger, int count, int pid);

        [LoggerMessage(EventId = 5026, Level = LogLevel.Error, Message = "A handler of syncthing's Restarted event failed")]
        public static partial void RestartHandlerFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 5027, Level = LogLevel.Debug, Message = "syncthing did not accept the shutdown request: {Reason}")]
        public static partial void ShutdownRequestFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 5028, Level = LogLevel.Warning, Message = "syncthing (PID {Pid}) did not exit within {TimeoutS:0.#} s; killing it")]
        public static partial void Killing(ILogger logger, int pid, double timeoutS);

        [LoggerMessage(EventId = 5029, Level = LogLevel.Information, Message = "Local syncthing stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(EventId = 5030, Level = LogLevel.Warning, Message = "syncthing: {Line}")]
        public static partial void SyncthingWarning(ILogger logger, string line);

        [LoggerMessage(EventId = 5031, Level = LogLevel.Debug, Message = "syncthing: {Line}")]
        public static partial void SyncthingOutput(ILogger logger, string line);
    }
}
