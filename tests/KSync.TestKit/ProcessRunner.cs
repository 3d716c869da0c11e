using System.Diagnostics;
using System.Text;

namespace KSync.TestKit;

/// <summary>Runs a process to completion with a timeout, capturing its output; kills the whole tree on timeout.</summary>
public static class ProcessRunner
{
    /// <summary>Default time a process may run: 2 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="fileName"/> and waits for it to exit.</summary>
    /// <param name="fileName">Executable.</param>
    /// <param name="arguments">Arguments, passed without shell interpretation.</param>
    /// <param name="environment">Variables to set (null value removes one).</param>
    /// <param name="workingDirectory">Working directory, or null for the current one.</param>
    /// <param name="stdin">Text to write to stdin, or null to close it at once.</param>
    /// <param name="timeout">How long it may run; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="cancellationToken">Cancels the wait and kills the process.</param>
    /// <returns>The result.</returns>
    /// <exception cref="TimeoutException">The process ran longer than <paramref name="timeout"/>; it was killed.</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        string? stdin = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        var watch = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{fileName} {string.Join(' ', info.ArgumentList)}' ran longer than {timeout ?? DefaultTimeout}; killed. stdout so far:\n{stdout}\nstderr so far:\n{stderr}");
        }

        // WaitForExitAsync returns after the output pipes closed, so the buffers are complete.
        watch.Stop();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
            }
        }
    }

    /// <summary>Runs a shell command line with <c>/bin/sh -c</c>.</summary>
    /// <param name="script">The command line.</param>
    /// <param name="timeout">How long it may run.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The result.</returns>
    public static Task<ProcessResult> ShellAsync(string script, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => RunAsync("/bin/sh", ["-c", script], timeout: timeout, cancellationToken: cancellationToken);
}
