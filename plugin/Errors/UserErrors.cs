using KSync.Config.Store;
using KSync.Engine;
using KSync.Syncthing;

namespace KSync.Plugin.Errors;

/// <summary>
/// The one place that turns the failures of every layer into what the user sees: the plugin's own
/// <see cref="KsyncException"/>, the config's <see cref="ConfigException"/>, syncthing's <see cref="SyncthingException"/>
/// and the engine's <see cref="SyncEngineException"/> each carry a message and a hint; the exit code is decided here.
/// </summary>
internal static class UserErrors
{
    /// <summary>Describes a failure the user can act on.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>What to show, or null when it is not one of ksync's own failures (a bug, or the runtime's).</returns>
    public static UserError? Describe(Exception exception) => exception switch
    {
        KsyncException ksync => new UserError(ksync.Message, ksync.Hint, ksync.ExitCode),
        ConfigException config => new UserError(config.Message, config.Hint, ExitCodes.Failure),
        SyncthingException syncthing => new UserError(syncthing.Message, syncthing.Hint, ExitCodes.Failure),
        SyncEngineException engine => new UserError(engine.Message, engine.Hint, ExitCodes.Failure),
        _ => null,
    };
}
