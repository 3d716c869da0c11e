using System.Collections.Concurrent;
using KSync.Syncthing.Scanning;
using KSync.TestKit;
using Microsoft.Extensions.Time.Testing;

namespace KSync.Syncthing.Tests.Units;

/// <summary>The fast path's batching on a fake clock: closes after 5 ms of quiet, or 25 ms after the first change.</summary>
public sealed class ScanTriggerDebounceTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("ksync-debounce");
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<IReadOnlyCollection<string>?> _scans = new();
    private readonly ScanTrigger _trigger;

    public ScanTriggerDebounceTests()
    {
        _trigger = new ScanTrigger(_dir.Path, (subs, _) =>
        {
            _scans.Enqueue(subs);
            return Task.CompletedTask;
        }, timeProvider: _time);
        _trigger.Start();
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneSave_ScannedAfterQuietPeriodNotFullWindow()
    {
        _trigger.NotifyChanged(_dir.Combine("a.txt"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _trigger.NotifyChanged(_dir.Combine("a.txt"));
        _time.Advance(TimeSpan.FromMilliseconds(4));
        await Task.Delay(50, Token);
        Assert.Empty(_scans);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.TrueAsync(() => _scans.Count == 1, TimeSpan.FromSeconds(5), "one scan");
        Assert.Equal(["a.txt"], _scans.Single()!);
    }

    [Fact]
    public async Task SteadyStream_ScannedAtTheWindowNotPostponed()
    {
        for (var i = 0; i < 8; i++)
        {
            _trigger.NotifyChanged(_dir.Combine($"f{i}.txt"));
            _time.Advance(TimeSpan.FromMilliseconds(3));
        }

        // 24 ms after the first change and never 5 ms of quiet: not yet.
        await Task.Delay(50, Token);
        Assert.Empty(_scans);
        _trigger.NotifyChanged(_dir.Combine("f8.txt"));
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.TrueAsync(() => _scans.Count == 1, TimeSpan.FromSeconds(5), "one scan at 25 ms");
        Assert.Equal(9, _scans.Single()!.Count);
    }

    [Fact]
    public async Task ABatch_IsReportedWithEachPathsFirstWatcherTime_BeforeItsScan()
    {
        var seen = new ConcurrentQueue<(IReadOnlyDictionary<string, long> Paths, int ScansBefore)>();
        _trigger.ChangesSeen += (_, e) => seen.Enqueue((e.Paths, _scans.Count));
        var first = _time.GetTimestamp();
        _trigger.NotifyChanged(_dir.Combine("a.txt"));
        _time.Advance(TimeSpan.FromMilliseconds(2));
        var second = _time.GetTimestamp();
        _trigger.NotifyChanged(_dir.Combine("src/b.txt"));
        _time.Advance(TimeSpan.FromMilliseconds(2));
        _trigger.NotifyChanged(_dir.Combine("a.txt"));
        _time.Advance(TimeSpan.FromMilliseconds(5));

        await Eventually.TrueAsync(() => _scans.Count == 1, TimeSpan.FromSeconds(5), "one scan");
        var (paths, scansBefore) = Assert.Single(seen);
        Assert.Equal(0, scansBefore);
        Assert.Equal(new Dictionary<string, long> { ["a.txt"] = first, ["src/b.txt"] = second }, paths);
    }

    public async ValueTask DisposeAsync()
    {
        await _trigger.DisposeAsync();
        _dir.Dispose();
    }
}
