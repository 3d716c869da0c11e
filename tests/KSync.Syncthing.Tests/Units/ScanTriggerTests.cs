using System.Collections.Concurrent;
using KSync.Syncthing.Scanning;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Units;

/// <summary>The fast path with a real file watcher and a recording scan function.</summary>
public sealed class ScanTriggerTests : IDisposable
{
    private readonly TempDirectory _dir = new("ksync-trigger");
    private readonly ConcurrentQueue<IReadOnlyCollection<string>?> _scans = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private ScanTrigger NewTrigger(TimeSpan? debounce = null) => new(_dir.Path, (subs, _) =>
    {
        _scans.Enqueue(subs);
        return Task.CompletedTask;
    }, debounce);

    [Fact]
    public async Task FileWritten_ScanOfExactlyThatPath()
    {
        await using var trigger = NewTrigger();
        trigger.Start();

        _dir.WriteFile("src/app.cs", "x");

        await Eventually.TrueAsync(() => _scans.Any(s => s is not null && s.Contains("src")), TimeSpan.FromSeconds(10), "a scan of src");
        Assert.DoesNotContain(_scans, s => s is null);
    }

    [Fact]
    public async Task ExistingFileChangedRenamedDeleted_EachPathScanned()
    {
        var a = _dir.WriteFile("a.txt", "1");
        await using var trigger = NewTrigger();
        trigger.Start();

        File.AppendAllText(a, "2");
        await Eventually.TrueAsync(() => Scanned("a.txt"), TimeSpan.FromSeconds(10), "a scan of a.txt");
        File.Move(a, _dir.Combine("b.txt"));
        await Eventually.TrueAsync(() => Scanned("b.txt"), TimeSpan.FromSeconds(10), "a scan of b.txt");
        File.Delete(_dir.Combine("b.txt"));
        var before = _scans.Count;
        await Eventually.TrueAsync(() => _scans.Count > before, TimeSpan.FromSeconds(10), "a scan after the delete");
    }

    [Fact]
    public async Task Burst_FewScansCollapsedPaths()
    {
        await using var trigger = NewTrigger(TimeSpan.FromMilliseconds(200));
        trigger.Start();

        for (var i = 0; i < 300; i++)
        {
            _dir.WriteFile($"burst/f{i}.txt", "x");
        }

        await Eventually.TrueAsync(() => _scans.Any(s => s?.Contains("burst") == true), TimeSpan.FromSeconds(10), "a scan of burst");
        Assert.True(_scans.Count < 20, $"{_scans.Count} scans for one burst");
        Assert.All(_scans, s => Assert.True(s is null || s.Count <= ScanPaths.DefaultMaxPaths));
    }

    [Fact]
    public async Task SyncthingTempFiles_Ignored_OverflowMeansFullScan()
    {
        await using var trigger = NewTrigger();
        trigger.Start();

        _dir.WriteFile(".syncthing.x.txt.tmp", "partial");
        _dir.WriteFile("~syncthing~y.tmp", "partial");
        trigger.RequestFullScan();

        await Eventually.TrueAsync(() => trigger.FullScanCount == 1, TimeSpan.FromSeconds(10), "a full scan");
        Assert.DoesNotContain(_scans, s => s?.Any(p => p.Contains("syncthing", StringComparison.Ordinal)) == true);
        Assert.True(ScanTrigger.IsSyncthingInternal("deep/dir/.syncthing.file.tmp"));
        Assert.True(ScanTrigger.IsSyncthingInternal(".stfolder"));
        Assert.False(ScanTrigger.IsSyncthingInternal("src/syncthing.cs"));
    }

    [Fact]
    public async Task GitignoreChanged_RaisesIgnoreFilesChanged()
    {
        await using var trigger = NewTrigger();
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        trigger.IgnoreFilesChanged += (_, _) => raised.TrySetResult();
        trigger.Start();

        _dir.WriteFile(".gitignore", "*.log\n");

        await raised.Task.WaitAsync(TimeSpan.FromSeconds(10), Token);
    }

    public void Dispose() => _dir.Dispose();

    private bool Scanned(string path) => _scans.Any(s => s?.Contains(path) == true);
}
