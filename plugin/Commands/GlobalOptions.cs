using System.CommandLine;
using System.Globalization;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Commands;

/// <summary>
/// The options every command takes (<see cref="Option.Recursive"/>): <c>--kubeconfig</c>, <c>--context</c>,
/// <c>-n/--namespace</c>, <c>--log-level</c>, <c>--port</c>. Each falls back to the environment variable
/// <c>KSYNC_&lt;FLAG&gt;</c> (upper case, dashes as underscores), as the original ksync did; kubectl does not
/// forward its own global flags to plugins, so the plugin parses them itself.
/// </summary>
internal sealed class GlobalOptions
{
    /// <summary>Default port of watch's status server (127.0.0.1).</summary>
    public const int DefaultStatusPort = 40322;

    /// <summary>The accepted values of <c>--log-level</c>, quietest first.</summary>
    public static readonly IReadOnlyList<string> LogLevels = ["error", "warn", "info", "debug"];

    private readonly CliContext _context;

    /// <summary>Creates the options, reading fallbacks from <paramref name="context"/>'s environment.</summary>
    /// <param name="context">The CLI context.</param>
    public GlobalOptions(CliContext context)
    {
        _context = context;
        Kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Path to the kubeconfig file to use (only that file; default: $KUBECONFIG, then ~/.kube/config)",
            Recursive = true,
            HelpName = "path",
        };
        Context = new Option<string?>("--context")
        {
            Description = "Name of the kubeconfig context to use",
            Recursive = true,
            HelpName = "name",
        };
        Namespace = new Option<string?>("--namespace", "-n")
        {
            Description = "Namespace of the pods to sync (default: the context's namespace, else \"default\")",
            Recursive = true,
            HelpName = "namespace",
        };
        LogLevel = new Option<string?>("--log-level")
        {
            Description = "Log level: error, warn, info or debug (default: info)",
            Recursive = true,
            HelpName = "level",
        };
        LogLevel.AcceptOnlyFromAmong([.. LogLevels]);
        Port = new Option<int?>("--port")
        {
            Description = $"Port of watch's status server on 127.0.0.1 (default: {DefaultStatusPort})",
            Recursive = true,
            HelpName = "port",
        };
        Port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int port && port is < 1 or > 65535)
            {
                result.AddError($"--port must be between 1 and 65535, got {port}.");
            }
        });
    }

    /// <summary>Gets <c>--kubeconfig</c>.</summary>
    public Option<string?> Kubeconfig { get; }

    /// <summary>Gets <c>--context</c>.</summary>
    public Option<string?> Context { get; }

    /// <summary>Gets <c>-n/--namespace</c>.</summary>
    public Option<string?> Namespace { get; }

    /// <summary>Gets <c>--log-level</c>.</summary>
    public Option<string?> LogLevel { get; }

    /// <summary>Gets <c>--port</c>.</summary>
    public Option<int?> Port { get; }

    /// <summary>Gets every global option, in help order.</summary>
    public IEnumerable<Option> All => [Kubeconfig, Context, Namespace, LogLevel, Port];

    /// <summary>
    /// Resolves the values given on the command line or through <c>KSYNC_&lt;FLAG&gt;</c>. Values from ksync.yaml
    /// and the kubeconfig context are applied later by the commands that load them.
    /// </summary>
    /// <param name="parseResult">The parse result of the invoked command.</param>
    /// <returns>The explicit settings; a property is null when neither flag nor environment set it.</returns>
    /// <exception cref="KsyncException">A <c>KSYNC_</c> variable holds an invalid value.</exception>
    public GlobalSettings Resolve(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var logLevel = Pick(parseResult, LogLevel);
        if (logLevel is not null && !LogLevels.Contains(logLevel))
        {
            throw new KsyncException(
                $"KSYNC_LOG_LEVEL has the invalid value '{logLevel}'.",
                $"Use one of: {string.Join(", ", LogLevels)}.");
        }

        int? port = parseResult.GetValue(Port);
        if (port is null && FromEnvironment(EnvironmentVariableFor(Port)) is string portText)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
            {
                throw new KsyncException($"KSYNC_PORT has the invalid value '{portText}'.", "Use a port number between 1 and 65535.");
            }

            port = parsed;
        }

        return new GlobalSettings(
            Kubeconfig: Pick(parseResult, Kubeconfig),
            Context: Pick(parseResult, Context),
            Namespace: Pick(parseResult, Namespace),
            LogLevel: logLevel,
            Port: port);
    }

    /// <summary>The name of the environment variable that backs an option: <c>--log-level</c> → <c>KSYNC_LOG_LEVEL</c>.</summary>
    /// <param name="option">The option.</param>
    /// <returns>The variable name.</returns>
    public static string EnvironmentVariableFor(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return "KSYNC_" + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();
    }

    private string? Pick(ParseResult parseResult, Option<string?> option)
    {
        var value = parseResult.GetValue(option);
        return string.IsNullOrEmpty(value) ? FromEnvironment(EnvironmentVariableFor(option)) : value;
    }

    private string? FromEnvironment(string variable)
    {
        var value = _context.Environment(variable);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
