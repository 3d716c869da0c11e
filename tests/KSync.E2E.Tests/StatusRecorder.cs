using System.Diagnostics;
using System.Globalization;
using System.Text;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// <c>kubectl-ksync get -w -o wide --port N</c> running in the background: every row it prints (the first listing,
/// then each changed row) is kept, so a status that lasted a moment (reconnecting) can be checked afterwards.
/// </summary>
internal sealed class StatusRecorder : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _rows = new();

    private StatusRecorder(Process process)
    {
        _process = process;
    }

    /// <summary>Gets every row printed so far.</summary>
    public string Rows
    {
        get
        {
            lock (_rows)
            {
                return _rows.ToString();
            }
        }
    }

    /// <summary>Starts the recorder and waits until it printed the first listing.</summary>
    /// <param name="runner">The session's runner (its KSYNC_HOME and working directory).</param>
    /// <param name="port">watch's status port.</param>
    /// <returns>The recorder.</returns>
    public static async Task<StatusRecorder> StartAsync(PluginRunner runner, int port)
    {
        var info = new ProcessStartInfo(await Binaries.PluginAsync())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = runner.WorkingDirectory,
        };
        foreach (var arg in new[] { "get", "-w", "-o", "wide", "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["KSYNC_HOME"] = runner.Home;
        info.Environment["HOME"] = Path.Combine(runner.Home, "user-home");
        var recorder = new StatusRecorder(new Process { StartInfo = info });
        recorder._process.OutputDataReceived += (_, e) => recorder.Append(e.Data);
        recorder._process.ErrorDataReceived += (_, e) => recorder.Append(e.Data);
        recorder._process.Start();
        recorder._process.BeginOutputReadLine();
        recorder._process.BeginErrorReadLine();
        await Eventually.TrueAsync(() => recorder.Rows.Contains("STATUS", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "get -w to print its first listing");
        return recorder;
    }

    /// <summary>Tells whether a row showed <paramref name="status"/>.</summary>
    /// <param name="status">A status name, e.g. <c>reconnecting</c>.</param>
    /// <returns>True when seen.</returns>
    public bool Saw(string status) => Rows.Split('\n').Any(r => r.Split("   ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(status));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_rows)
            {
                _rows.AppendLine(line);
            }
        }
    }
}
