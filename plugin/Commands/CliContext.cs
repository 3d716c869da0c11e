using KSync.Config.Model;

namespace KSync.Plugin.Commands;

/// <summary>
/// What every command may use from the outside world: its console writers, the environment and the working
/// directory. One object instead of process globals, so tests can run commands in-process.
/// </summary>
internal sealed class CliContext
{
    /// <summary>Gets the writer for command results (stdout).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Gets the writer for errors, hints and progress (stderr).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Gets the reader for answers to questions (stdin), e.g. <c>clean --nuke</c>'s confirmation.</summary>
    public TextReader Input { get; init; } = Console.In;

    /// <summary>Gets a function that reads an environment variable (null when unset).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Gets the directory relative paths on the command line are resolved against.</summary>
    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;

    /// <summary>Gets the ksync home folder (<c>KSYNC_HOME</c> or <c>~/.ksync</c>); not created on disk.</summary>
    public KsyncHome Home => KsyncHome.Resolve(Environment);

    /// <summary>Creates a context on the real process console and environment.</summary>
    /// <param name="output">Writer for results.</param>
    /// <param name="error">Writer for errors.</param>
    /// <returns>The context.</returns>
    public static CliContext ForProcess(TextWriter output, TextWriter error) => new() { Out = output, Error = error };
}
