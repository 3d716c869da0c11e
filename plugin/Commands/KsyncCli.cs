using System.CommandLine;
using KSync.Plugin.Errors;
using KSync.Plugin.Output;

namespace KSync.Plugin.Commands;

/// <summary>
/// Parses and runs a command line. The only place that turns exceptions into exit codes: a failure of ksync's own
/// (<see cref="UserErrors"/>: the plugin's, the config's, syncthing's or the engine's) prints its message and hint;
/// cancellation after Ctrl-C exits 130; anything else prints one line and exits 1.
/// </summary>
internal static class KsyncCli
{
    /// <summary>
    /// Parser settings: response files (<c>@file</c>) are off because a path may start with <c>@</c>.
    /// </summary>
    public static ParserConfiguration ParserConfiguration { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>Runs <paramref name="args"/> against the real process environment.</summary>
    /// <param name="args">Arguments after the executable name.</param>
    /// <param name="output">Writer for results (stdout).</param>
    /// <param name="error">Writer for errors (stderr).</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The process exit code (see <see cref="ExitCodes"/>).</returns>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        => InvokeAsync(args, CliContext.ForProcess(output, error), cancellationToken);

    /// <summary>Runs <paramref name="args"/> with the given context.</summary>
    /// <param name="args">Arguments after the executable name.</param>
    /// <param name="context">Console, environment and working directory.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The process exit code (see <see cref="ExitCodes"/>).</returns>
    public static async Task<int> InvokeAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new KsyncRootCommand(context);
        var parseResult = root.Parse(args, ParserConfiguration);
        using var output = new KubectlUsageWriter(context.Out, root.Name, KsyncRootCommand.DisplayName);
        using var error = new KubectlUsageWriter(context.Error, root.Name, KsyncRootCommand.DisplayName);
        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // Program turns SIGINT/SIGTERM into cancellation (TerminationSignals); watch tears down within 5 s.
            ProcessTerminationTimeout = null,
        };

        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken);
        }
        catch (ValidationException ex)
        {
            foreach (var problem in ex.Problems)
            {
                await WriteErrorAsync(context.Error, problem.Message, problem.Hint);
            }

            return ex.ExitCode;
        }
        catch (Exception ex) when (UserErrors.Describe(ex) is { } failure)
        {
            await WriteErrorAsync(context.Error, failure.Message, failure.Hint);
            return failure.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
#pragma warning disable CA1031 // The single catch-all of the process: one line instead of a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await WriteErrorAsync(context.Error, $"{ex.GetType().Name}: {ex.Message}", null);
            return ExitCodes.Failure;
        }
    }

    private static async Task WriteErrorAsync(TextWriter error, string message, string? hint)
    {
        await error.WriteLineAsync($"Error: {message}");
        if (!string.IsNullOrEmpty(hint))
        {
            await error.WriteLineAsync($"Hint: {hint}");
        }
    }
}
