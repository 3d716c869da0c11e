namespace KSync.Engine.Seeding;

/// <summary>
/// Decides which of a seed's progress reports reach the status (<c>get</c>, watch's progress line): the seeder reports
/// after every entry, and each status change wakes every status reader, so only the first, the complete one and at most
/// one per interval pass.
/// </summary>
public sealed class SeedProgressThrottle
{
    /// <summary>The default interval between shown reports.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private long? _lastShown;

    /// <summary>Creates the throttle.</summary>
    /// <param name="time">The clock.</param>
    /// <param name="interval">The least time between two shown reports that are neither the first nor complete.</param>
    public SeedProgressThrottle(TimeProvider time, TimeSpan interval)
    {
        _time = time;
        _interval = interval;
    }

    /// <summary>Tells whether to show a report; called on one thread at a time.</summary>
    /// <param name="progress">The report.</param>
    /// <returns>True for the first report, a complete one, and one at least the interval after the last shown.</returns>
    public bool ShouldShow(SeedProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var now = _time.GetTimestamp();
        var complete = progress.EntriesDone >= progress.EntriesTotal && progress.BytesDone >= progress.BytesTotal;
        if (_lastShown is { } last && !complete && _time.GetElapsedTime(last, now) < _interval)
        {
            return false;
        }

        _lastShown = now;
        return true;
    }
}
