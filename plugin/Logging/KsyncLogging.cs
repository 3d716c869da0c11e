using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace KSync.Plugin.Logging;

/// <summary>
/// The plugin's logging: one line per message on stderr (stdout is for command results), at the level of
/// <c>--log-level</c>.
/// </summary>
internal static class KsyncLogging
{
    /// <summary>Maps a <c>--log-level</c> value to a .NET log level.</summary>
    /// <param name="level">error, warn, info or debug; null means info.</param>
    /// <returns>The minimum level to log.</returns>
    public static LogLevel ToLogLevel(string? level) => level switch
    {
        "error" => LogLevel.Error,
        "warn" => LogLevel.Warning,
        "debug" => LogLevel.Debug,
        _ => LogLevel.Information,
    };

    /// <summary>Configures a logging builder: simple single-line console output to stderr with timestamps.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="level">The <c>--log-level</c> value.</param>
    public static void Configure(ILoggingBuilder builder, string? level)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClearProviders();
        builder.SetMinimumLevel(ToLogLevel(level));

        // Kestrel and the host log their own lifecycle at Information; users care about ksync's.
        builder.AddFilter("Microsoft", LogLevel.Warning);
        builder.AddFilter("Grpc", LogLevel.Warning);
        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
            options.IncludeScopes = false;
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>Creates a standalone logger factory configured by <see cref="Configure"/>.</summary>
    /// <param name="level">The <c>--log-level</c> value.</param>
    /// <returns>The factory; dispose it to flush.</returns>
    public static ILoggerFactory CreateFactory(string? level) => LoggerFactory.Create(builder => Configure(builder, level));
}
