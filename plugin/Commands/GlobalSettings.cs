using KSync.Config.Model;

namespace KSync.Plugin.Commands;

/// <summary>
/// The global settings given explicitly, by flag or <c>KSYNC_&lt;FLAG&gt;</c> (flag wins). Null means "not given":
/// the command then falls back to ksync.yaml, the kubeconfig context, and the built-in default, in that order.
/// </summary>
/// <param name="Kubeconfig">Path of the only kubeconfig file to load, or null for the kubectl rules.</param>
/// <param name="Context">Kubeconfig context name, or null for the current context.</param>
/// <param name="Namespace">Namespace, or null for the context's (else "default").</param>
/// <param name="LogLevel">One of error, warn, info, debug, or null for info.</param>
/// <param name="Port">Status server port, or null for 40322.</param>
internal sealed record GlobalSettings(string? Kubeconfig, string? Context, string? Namespace, string? LogLevel, int? Port)
{
    /// <summary>
    /// Fills what neither flag nor environment gave from ksync.yaml's top-level keys <c>context</c>,
    /// <c>log-level</c> and <c>port</c> (an empty value counts as not given).
    /// </summary>
    /// <param name="config">The loaded config.</param>
    /// <returns>The settings with the config's values as fallbacks.</returns>
    public GlobalSettings WithConfigDefaults(KsyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return this with
        {
            Context = Context ?? (string.IsNullOrEmpty(config.Context) ? null : config.Context),
            LogLevel = LogLevel ?? (GlobalOptions.LogLevels.Contains(config.LogLevel ?? string.Empty) ? config.LogLevel : null),
            Port = Port ?? config.Port,
        };
    }
}
