using KSync.Engine.Resilience;

namespace KSync.Engine.Tests.Nodes;

public sealed class ReconnectScheduleTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(1);

    [Fact]
    public void FirstAttemptIsImmediate()
        => Assert.Equal(TimeSpan.Zero, ReconnectSchedule.Delay(0, TimeSpan.Zero, Max));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(5, 2)]
    [InlineData(100, 29.9)]
    public void WithinThirtySecondsOfTheBreakAttemptsComeEvery250Ms(int attempt, double secondsSinceBreak)
        => Assert.Equal(TimeSpan.FromMilliseconds(250), ReconnectSchedule.Delay(attempt, TimeSpan.FromSeconds(secondsSinceBreak), Max));

    [Theory]
    [InlineData(1, 250)]
    [InlineData(2, 500)]
    [InlineData(3, 1000)]
    [InlineData(120, 1000)]
    public void AfterThirtySecondsTheDelayDoublesUpToTheMaximum(int attempt, int expectedMs)
        => Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ReconnectSchedule.Delay(attempt, TimeSpan.FromSeconds(30), Max));

    [Fact]
    public void MaximumBelowTheFastDelayWins()
        => Assert.Equal(TimeSpan.FromMilliseconds(100), ReconnectSchedule.Delay(3, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100)));
}
