namespace KSync.Engine.Latency;

/// <summary>
/// The save→visible latency of one container (docs/architecture.md, "Save→visible latency"): from the moment the local
/// watcher first reported a path to the moment watch received the node syncthing's <c>ItemFinished</c> for that path,
/// over the last <see cref="Window"/> local changes that landed. A watcher report counts only once the local syncthing's
/// scan confirmed it as a change (<c>LocalChangeDetected</c>): a report that changed nothing (an editor touching a file,
/// a second event of one save) must not wait and pair with a later save of that path. Both ends are read from one
/// monotonic clock on the developer's machine, so no clock of the cluster takes part. Not thread-safe: the owner
/// serializes calls.
/// </summary>
public sealed class SaveToVisible
{
    /// <summary>How many landed changes the percentiles cover: 100.</summary>
    public const int Window = 100;

    private readonly long _frequency;
    private readonly long _maxPendingAge;
    private readonly int _maxPending;
    private readonly Dictionary<string, long> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pending = new(StringComparer.Ordinal);
    private readonly Queue<double> _samples = new();
    private long _landed;
    private long _nextForget;

    /// <summary>Creates the measure.</summary>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="maxPendingAge">
    /// How long a seen change may wait for its node item before it is forgotten (ignored paths and changes the node
    /// never writes, e.g. a save that left the content as it was); default 10 minutes.
    /// </param>
    /// <param name="maxPending">The most changes waiting at once (the oldest are forgotten first); default 10,000.</param>
    /// <exception cref="ArgumentOutOfRangeException">A frequency or a limit that is not positive.</exception>
    public SaveToVisible(long timestampFrequency, TimeSpan? maxPendingAge = null, int maxPending = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPending);
        var age = maxPendingAge ?? TimeSpan.FromMinutes(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(age, TimeSpan.Zero, nameof(maxPendingAge));
        _frequency = timestampFrequency;
        _maxPendingAge = (long)(age.TotalSeconds * timestampFrequency);
        _maxPending = maxPending;
    }

    /// <summary>Gets how many confirmed local changes wait for the node.</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// The local watcher reported a path. A path that already waits for the node keeps its first time (a file saved
    /// twice before it landed is visible one save later than the first save); an unconfirmed report is replaced by one
    /// more than a second newer (the older one changed nothing: its scan would have confirmed it by then).
    /// </summary>
    /// <param name="path">Relative <c>/</c>-separated path in the folder.</param>
    /// <param name="timestamp">When the watcher first reported it.</param>
    public void Seen(string path, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_pending.ContainsKey(path))
        {
            return;
        }

        if (!_reported.TryGetValue(path, out var earlier) || timestamp - earlier > _frequency)
        {
            _reported[path] = timestamp;
            Bound(_reported, timestamp);
        }
    }

    /// <summary>The local syncthing's scan found a change at <paramref name="path"/> (<c>LocalChangeDetected</c>).</summary>
    /// <param name="path">The changed path, relative, <c>/</c>-separated.</param>
    public void Confirmed(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_reported.Remove(path, out var seen) && _pending.TryAdd(path, seen))
        {
            Bound(_pending, seen);
        }
    }

    /// <summary>
    /// The node finished writing <paramref name="path"/>. Counts when a local change of that path was waiting (an item
    /// of a first sync or a resume that nobody saved during this watch counts nothing).
    /// </summary>
    /// <param name="path">The item's relative <c>/</c>-separated path (<c>ItemFinished</c> <c>data.item</c>).</param>
    /// <param name="timestamp">When watch received the event, on the same clock as <see cref="Seen"/>.</param>
    /// <returns>The latency counted, or null when nothing was waiting for the path.</returns>
    public TimeSpan? Landed(string path, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(path);
        Forget(timestamp);
        if (!_pending.Remove(path, out var seen))
        {
            return null;
        }

        var milliseconds = Math.Max(0, timestamp - seen) * 1000.0 / _frequency;
        _samples.Enqueue(milliseconds);
        if (_samples.Count > Window)
        {
            _samples.Dequeue();
        }

        _landed++;
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>Gets the summary of the last <see cref="Window"/> changes that landed.</summary>
    /// <returns>Samples in the window, p50 and p95 (nearest rank) in milliseconds; null percentiles without samples.</returns>
    public LatencySummary Summary()
    {
        if (_samples.Count == 0)
        {
            return new LatencySummary(0, _landed, null, null);
        }

        var sorted = _samples.Order().ToArray();
        return new LatencySummary(sorted.Length, _landed, NearestRank(sorted, 50), NearestRank(sorted, 95));
    }

    // Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it.
    private static double NearestRank(double[] sorted, int percent)
        => sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];

    // At most once a second of the clock: a burst of landed items must not walk the waiting changes each time.
    private void Forget(long now)
    {
        if ((_pending.Count == 0 && _reported.Count == 0) || now < _nextForget)
        {
            return;
        }

        _nextForget = now + _frequency;
        foreach (var map in new[] { _pending, _reported })
        {
            foreach (var stale in map.Where(p => now - p.Value > _maxPendingAge).Select(p => p.Key).ToList())
            {
                map.Remove(stale);
            }
        }
    }

    private void Bound(Dictionary<string, long> map, long now)
    {
        if (map.Count <= _maxPending)
        {
            return;
        }

        Forget(now);
        if (map.Count > _maxPending)
        {
            map.Remove(map.MinBy(p => p.Value).Key);
        }
    }
}
