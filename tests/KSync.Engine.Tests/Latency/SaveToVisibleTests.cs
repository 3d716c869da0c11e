using KSync.Engine.Latency;

namespace KSync.Engine.Tests.Latency;

public sealed class SaveToVisibleTests
{
    // Timestamps in milliseconds: a clock of 1,000 ticks per second.
    private const long PerSecond = 1000;

    // A save the local scan confirmed as a change.
    private static void Saved(SaveToVisible measure, string path, long at)
    {
        measure.Seen(path, at);
        measure.Confirmed(path);
    }

    [Fact]
    public void NothingMeasured_NoPercentiles()
    {
        var measure = new SaveToVisible(PerSecond);

        Assert.Equal(new LatencySummary(0, 0, null, null), measure.Summary());
    }

    [Fact]
    public void ALocalChangeThatLands_IsCountedFromSeenToLanded()
    {
        var measure = new SaveToVisible(PerSecond);

        Saved(measure, "src/app.js", 1_000);
        var latency = measure.Landed("src/app.js", 1_042);

        Assert.Equal(TimeSpan.FromMilliseconds(42), latency);
        Assert.Equal(new LatencySummary(1, 1, 42, 42), measure.Summary());
        Assert.Equal(0, measure.Pending);
    }

    [Fact]
    public void AnItemNobodySaved_CountsNothing()
    {
        var measure = new SaveToVisible(PerSecond);
        Saved(measure, "a.txt", 0);

        Assert.Null(measure.Landed("b.txt", 10));
        Assert.Equal(0, measure.Summary().Samples);
        Assert.Equal(1, measure.Pending);
    }

    [Fact]
    public void APathSavedTwiceBeforeItLanded_CountsFromTheFirstSave()
    {
        var measure = new SaveToVisible(PerSecond);

        Saved(measure, "a.txt", 100);
        Saved(measure, "a.txt", 180);

        Assert.Equal(TimeSpan.FromMilliseconds(150), measure.Landed("a.txt", 250));
        Assert.Null(measure.Landed("a.txt", 260));
    }

    [Fact]
    public void Percentiles_AreNearestRankOverTheLastHundred()
    {
        var measure = new SaveToVisible(PerSecond);

        // 1..120 ms: the window keeps the last 100 (21..120 ms).
        for (var i = 1; i <= 120; i++)
        {
            var path = $"f{i}";
            Saved(measure, path, i * 10_000L);
            measure.Landed(path, (i * 10_000L) + i);
        }

        var summary = measure.Summary();
        Assert.Equal(SaveToVisible.Window, summary.Samples);
        Assert.Equal(120, summary.Landed);
        Assert.Equal(70, summary.P50Milliseconds);
        Assert.Equal(115, summary.P95Milliseconds);
    }

    [Fact]
    public void AChangeThatNeverLands_IsForgottenAfterItsMaximumAge()
    {
        var measure = new SaveToVisible(PerSecond, maxPendingAge: TimeSpan.FromSeconds(60));
        Saved(measure, "ignored.log", 0);
        Saved(measure, "late.txt", 0);

        // 61 s later the node finishes an item of that path: too old to be this save, so nothing counts.
        Assert.Null(measure.Landed("late.txt", 61_000));
        Assert.Equal(0, measure.Pending);
    }

    [Fact]
    public void PendingChanges_AreBounded_OldestForgottenFirst()
    {
        var measure = new SaveToVisible(PerSecond, maxPending: 3);
        Saved(measure, "a", 1);
        Saved(measure, "b", 2);
        Saved(measure, "c", 3);
        Saved(measure, "d", 4);

        Assert.Equal(3, measure.Pending);
        Assert.Null(measure.Landed("a", 5));
        Assert.Equal(TimeSpan.FromMilliseconds(1), measure.Landed("d", 5));
    }

    [Fact]
    public void ClockOfAnotherFrequency_IsConverted()
    {
        var measure = new SaveToVisible(timestampFrequency: 1_000_000_000);

        Saved(measure, "a", 5_000_000_000);

        Assert.Equal(TimeSpan.FromMilliseconds(27.5), measure.Landed("a", 5_027_500_000));
    }

    [Fact]
    public void AReportTheScanDidNotConfirm_DoesNotWaitForALaterSave()
    {
        var measure = new SaveToVisible(PerSecond);

        // An editor touched the file (the watcher reported it, the scan found nothing), then 5 s later a real save.
        measure.Seen("a.txt", 0);
        Assert.Equal(0, measure.Pending);
        Assert.Null(measure.Landed("a.txt", 40));
        Saved(measure, "a.txt", 5_000);

        Assert.Equal(TimeSpan.FromMilliseconds(30), measure.Landed("a.txt", 5_030));
    }

    [Fact]
    public void TwoReportsOfOneSave_CountFromTheFirst()
    {
        var measure = new SaveToVisible(PerSecond);

        measure.Seen("a.txt", 1_000);
        measure.Seen("a.txt", 1_008);
        measure.Confirmed("a.txt");

        Assert.Equal(TimeSpan.FromMilliseconds(50), measure.Landed("a.txt", 1_050));
    }

    [Fact]
    public void AConfirmationWithoutAReport_CountsNothing()
    {
        var measure = new SaveToVisible(PerSecond);

        // syncthing's own watcher or periodic scan found it: ksync's watcher gave no start time.
        measure.Confirmed("a.txt");

        Assert.Null(measure.Landed("a.txt", 10));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1000, 0)]
    public void BadLimits_Throw(long frequency, int maxPending)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new SaveToVisible(frequency, maxPending: maxPending));
}
