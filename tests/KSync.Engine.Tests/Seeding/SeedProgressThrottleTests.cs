using KSync.Engine.Seeding;
using Microsoft.Extensions.Time.Testing;

namespace KSync.Engine.Tests.Seeding;

/// <summary>Which seed progress reports reach the status: the first, the complete one, and one per interval.</summary>
public sealed class SeedProgressThrottleTests
{
    private static SeedProgress At(int done) => new(done, 10, done * 100, 1000);

    [Fact]
    public void FirstShown_ThenNothingWithinTheInterval_ThenOneAfterIt()
    {
        var time = new FakeTimeProvider();
        var throttle = new SeedProgressThrottle(time, TimeSpan.FromMilliseconds(100));

        var first = throttle.ShouldShow(At(1));
        time.Advance(TimeSpan.FromMilliseconds(40));
        var soon = throttle.ShouldShow(At(2));
        time.Advance(TimeSpan.FromMilliseconds(60));
        var later = throttle.ShouldShow(At(3));
        var right = throttle.ShouldShow(At(4));

        Assert.Equal([true, false, true, false], [first, soon, later, right]);
    }

    [Fact]
    public void CompleteShownAlways()
    {
        var time = new FakeTimeProvider();
        var throttle = new SeedProgressThrottle(time, TimeSpan.FromSeconds(1));

        throttle.ShouldShow(At(1));

        Assert.True(throttle.ShouldShow(At(10)));
        Assert.True(throttle.ShouldShow(At(10)));
    }
}
