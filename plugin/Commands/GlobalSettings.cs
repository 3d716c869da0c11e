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
internal sealed record GlobalSettings(string? Kubeconfig, string? Context, string? Namespace, string? LogLevel, int? Port);
