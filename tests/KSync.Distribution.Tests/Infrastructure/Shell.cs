using KSync.TestKit;

namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>Runs scripts of the repository the way CI and users do.</summary>
public static class Shell
{
    /// <summary>Runs <c>bash -c SCRIPT</c> from the repository root.</summary>
    public static Task<ProcessResult> BashAsync(string script, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
        => ProcessRunner.RunAsync("bash", ["-c", script], environment, Repository.Root, timeout: timeout, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Runs an executable with arguments from the repository root.</summary>
    public static Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
        => ProcessRunner.RunAsync(file, arguments, environment, Repository.Root, timeout: timeout, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Single-quotes a string for sh.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
