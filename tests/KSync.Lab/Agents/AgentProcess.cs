using System.Diagnostics;

namespace KSync.Lab.Agents;

/// <summary>
/// One container of an agent pod run as a host process, supervised like the kubelet does: restarted with
/// exponential backoff (1 s doubling, at most 10 s) when it exits, restart count kept, output appended to a log file.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly string _name;
    private readonly string _fileName;
    private readonly IReadOnlyList<string> _args;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Action _changed;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private Process? _process;
    private Task _supervisor = Task.CompletedTask;

    /// <summary>Creates the process definition; <see cref="Start"/> runs it.</summary>
    /// <param name="name">Container name.</param>
    /// <param name="fileName">Executable.</param>
    /// <param name="args">Arguments.</param>
    /// <param name="environment">Environment variables.</param>
    /// <param name="logFile">Where stdout and stderr go.</param>
    /// <param name="changed">Called when it starts or exits.</param>
    public AgentProcess(string name, string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string logFile, Action changed)
    {
        _name = name;
        _fileName = fileName;
        _args = args;
        _environment = environment;
        _changed = changed;
        _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
    }

    /// <summary>Gets how often it was restarted.</summary>
    public int RestartCount { get; private set; }

    /// <summary>Gets the running process's ID, or null.</summary>
    public int? Pid
    {
        get
        {
            lock (_lock)
            {
                return _process is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    /// <summary>Gets when the current process started (UTC).</summary>
    public DateTime StartedAt { get; private set; }

    /// <summary>Gets the last exit code and log tail, when it exited at least once.</summary>
    public (int ExitCode, string Tail)? LastExit { get; private set; }

    /// <summary>Starts the supervise loop.</summary>
    public void Start() => _supervisor = Task.Run(SuperviseAsync);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Process? process;
        lock (_lock)
        {
            process = _process;
        }

        if (process is { HasExited: false })
        {
            try
            {
                // SIGTERM, as the kubelet does, then kill after the grace period.
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        await _supervisor.ContinueWith(_ => { }, TaskScheduler.Default);
        lock (_tail)
        {
            _log.Dispose();
        }

        _stop.Dispose();
    }

    private async Task SuperviseAsync()
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!_stop.IsCancellationRequested)
        {
            var info = new ProcessStartInfo(_fileName)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (var arg in _args)
            {
                info.ArgumentList.Add(arg);
            }

            foreach (var (key, value) in _environment)
            {
                info.Environment[key] = value;
            }

            var tail = _tail;
            void Line(string? line)
            {
                if (line is null)
                {
                    return;
                }

                lock (tail)
                {
                    try
                    {
                        _log.WriteLine(line);
                    }
                    catch (ObjectDisposedException)
                    {
                        // Output that arrives after the agent was stopped.
                    }

                    tail.Enqueue(line);
                    if (tail.Count > 5)
                    {
                        tail.Dequeue();
                    }
                }
            }

            var process = new Process { StartInfo = info };
            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) => Line(e.Data);
            var started = DateTime.UtcNow;
            try
            {
                process.Start();
                process.StandardInput.Close();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                Line($"lab: cannot start {_name}: {ex.Message}");
                process.Dispose();
                LastExit = (127, ex.Message);
                _changed();
                return;
            }

            lock (_lock)
            {
                _process = process;
            }

            StartedAt = started;
            _changed();
            try
            {
                await process.WaitForExitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (tail)
            {
                LastExit = (process.ExitCode, string.Join(" | ", tail));
            }

            lock (_lock)
            {
                _process = null;
            }

            process.Dispose();
            _changed();
            if (DateTime.UtcNow - started > TimeSpan.FromSeconds(30))
            {
                backoff = TimeSpan.FromSeconds(1);
            }

            try
            {
                await Task.Delay(backoff, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            RestartCount++;
        }
    }
}
