using KSync.Syncthing.Client;
using KSync.Syncthing.Ignores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Syncthing.Scanning;

/// <summary>
/// ksync's fast path: watches the local folder itself (inotify through <see cref="FileSystemWatcher"/>) and gathers
/// changed paths until they go quiet for <see cref="QuietPeriod"/> (default 5 ms; one save's events arrive within a
/// millisecond or two) or until <see cref="Debounce"/> passed since the FIRST change of the batch (default 25 ms, so a
/// steady stream of changes cannot postpone scans), whichever comes first; then it asks syncthing to scan exactly
/// those paths (syncthing REST: <c>POST /rest/db/scan?folder=&amp;sub=</c>), one scan at a time. Changes made while a
/// scan runs form the next batch. A watcher overflow asks for a full scan.
/// syncthing's own watcher stays on as the safety net, so a missed event costs latency, never a change.
/// Measured pipeline floor after the scan call: about 18 ms for a small file
/// (docs/architecture.md, "syncthing facts": explicit scans).
/// </summary>
public sealed partial class ScanTrigger : IAsyncDisposable
{
    /// <summary>Default debounce window (the longest a change waits for its batch): 25 ms.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(25);

    /// <summary>Default quiet period that closes a batch early: 5 ms.</summary>
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromMilliseconds(5);

    private readonly string _root;
    private readonly Func<IReadOnlyCollection<string>?, CancellationToken, Task> _scan;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private bool _fullScanPending;
    private bool _armed;
    private bool _signaled;
    private long _firstChange;
    private ITimer? _timer;
    private FileSystemWatcher? _watcher;
    private Task? _loop;
    private long _scanCount;
    private long _fullScanCount;
    private int _disposed;

    /// <summary>Creates the trigger; nothing is watched until <see cref="Start"/>.</summary>
    /// <param name="rootPath">The local folder.</param>
    /// <param name="scan">
    /// Runs one scan: the <c>/</c>-separated relative paths, or null for the whole folder (normally
    /// <see cref="SyncthingClient.ScanAsync"/> of the folder).
    /// </param>
    /// <param name="debounce">The debounce window; null for <see cref="DefaultDebounce"/>.</param>
    /// <param name="logger">Logger; null for none.</param>
    /// <param name="timeProvider">Clock for the debounce; null for the system clock.</param>
    public ScanTrigger(string rootPath, Func<IReadOnlyCollection<string>?, CancellationToken, Task> scan, TimeSpan? debounce = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootPath);
        ArgumentNullException.ThrowIfNull(scan);
        _root = Path.GetFullPath(rootPath);
        _scan = scan;
        Debounce = debounce ?? DefaultDebounce;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Raised (on a thread-pool thread) when the root <c>.stignore</c> or <c>.gitignore</c> changed.</summary>
    public event EventHandler? IgnoreFilesChanged;

    /// <summary>
    /// Raised (on the scan loop, before the batch's scan is asked for) with the batch's paths and when the watcher
    /// first reported each: the start of ksync's save→visible measure (docs/architecture.md, "Save→visible latency").
    /// A full scan after an overflow raises nothing for the paths it covers.
    /// </summary>
    public event EventHandler<ChangesSeenEventArgs>? ChangesSeen;

    /// <summary>Gets the debounce window: the longest the first change of a batch waits before its scan.</summary>
    public TimeSpan Debounce { get; }

    /// <summary>Gets the quiet period: a batch is scanned once no change came for this long; default 5 ms.</summary>
    public TimeSpan QuietPeriod { get; init; } = DefaultQuietPeriod;

    /// <summary>Gets the number of scan requests made so far.</summary>
    public long ScanCount => Interlocked.Read(ref _scanCount);

    /// <summary>Gets the number of full-folder scan requests made so far (after overflows or root changes).</summary>
    public long FullScanCount => Interlocked.Read(ref _fullScanCount);

    /// <summary>Gets the most <c>sub</c> paths in one scan request before parents are scanned instead; default 100.</summary>
    public int MaxPathsPerScan { get; init; } = ScanPaths.DefaultMaxPaths;

    /// <summary>Starts watching the folder and the scan loop.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_loop is not null)
        {
            throw new InvalidOperationException("The scan trigger is already started.");
        }

        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _loop = Task.Run(() => RunAsync(_stop.Token));
        var watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            InternalBufferSize = 64 * 1024,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
        };
        watcher.Created += (_, e) => NotifyChanged(e.FullPath);
        watcher.Changed += (_, e) => NotifyChanged(e.FullPath);
        watcher.Deleted += (_, e) => NotifyChanged(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            NotifyChanged(e.OldFullPath);
            NotifyChanged(e.FullPath);
        };
        watcher.Error += (_, e) =>
        {
            Log.WatcherError(_logger, _root, e.GetException().Message);
            RequestFullScan();
        };
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
        Log.Watching(_logger, _root, Debounce.TotalMilliseconds);
    }

    /// <summary>Records a change at <paramref name="fullPath"/> (called by the watcher; callable directly).</summary>
    /// <param name="fullPath">Absolute path of the changed file or folder.</param>
    public void NotifyChanged(string fullPath)
    {
        var relative = Path.GetRelativePath(_root, fullPath).Replace(Path.DirectorySeparatorChar, '/');
        if (relative == "." || relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || IsSyncthingInternal(relative))
        {
            return;
        }

        if (relative is StignoreFile.FileName or ".gitignore")
        {
            ThreadPool.QueueUserWorkItem(_ => IgnoreFilesChanged?.Invoke(this, EventArgs.Empty));
        }

        lock (_gate)
        {
            _pending.TryAdd(relative, _time.GetTimestamp());
            ArmLocked();
        }
    }

    /// <summary>Asks for a scan of the whole folder (after a watcher overflow).</summary>
    public void RequestFullScan()
    {
        lock (_gate)
        {
            _fullScanPending = true;
            ArmLocked();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watcher?.Dispose();
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync();
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    /// <summary>Whether a path is syncthing's own: its temp files, <c>.stfolder</c>, <c>.stversions</c>.</summary>
    /// <param name="relative">Relative <c>/</c>-separated path.</param>
    /// <returns>True for syncthing's files.</returns>
    public static bool IsSyncthingInternal(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.StartsWith(".stfolder", StringComparison.Ordinal) || relative.StartsWith(".stversions", StringComparison.Ordinal))
        {
            return true;
        }

        var name = relative[(relative.LastIndexOf('/') + 1)..];
        return (name.StartsWith(".syncthing.", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal))
               || name.StartsWith("~syncthing~", StringComparison.Ordinal);
    }

    private void ArmLocked()
    {
        if (_signaled)
        {
            // The batch is closed and about to be taken; this change joins it.
            return;
        }

        var now = _time.GetTimestamp();
        if (!_armed)
        {
            _armed = true;
            _firstChange = now;
        }

        var remaining = Debounce - _time.GetElapsedTime(_firstChange, now);
        var due = remaining < QuietPeriod ? remaining : QuietPeriod;
        if (due <= TimeSpan.Zero || _timer is null)
        {
            _signaled = true;
            _signal.Release();
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_armed && !_signaled)
            {
                _signaled = true;
                _signal.Release();
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken);
            Dictionary<string, long> paths;
            bool full;
            lock (_gate)
            {
                paths = _pending;
                full = _fullScanPending;
                _pending = new Dictionary<string, long>(StringComparer.Ordinal);
                _fullScanPending = false;
                _armed = false;
                _signaled = false;
            }

            if (paths.Count == 0 && !full)
            {
                continue;
            }

            if (paths.Count > 0)
            {
                ChangesSeen?.Invoke(this, new ChangesSeenEventArgs(paths));
            }

            var subs = full ? null : ScanPaths.Collapse(paths.Keys, MaxPathsPerScan);
            try
            {
                await _scan(subs, cancellationToken);
                Interlocked.Increment(ref _scanCount);
                if (subs is null)
                {
                    Interlocked.Increment(ref _fullScanCount);
                }

                Log.Scanned(_logger, subs?.Count ?? 0, paths.Count);
            }
            catch (SyncthingException ex)
            {
                // syncthing's watcher and the periodic rescan still cover the change.
                Log.ScanFailed(_logger, ex.Message);
            }
        }
    }
}
