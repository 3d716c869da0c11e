using KSync.Plugin.Output;
using KSync.Plugin.Watch;

namespace KSync.Plugin.Tests.Watch;

/// <summary>watch's terminal progress line for seeds longer than one second (docs/architecture.md, "The seed").</summary>
public sealed class SeedLineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static SeedView Seed(int done) => new() { FilesDone = done, FilesTotal = 10000, BytesDone = done * 4000L, BytesTotal = 40_000_000 };

    [Fact]
    public void AShortSeed_NeverShows()
    {
        var line = new SeedLine();

        var started = line.Next([("api api-1", Seed(10))], T0, 120);
        var running = line.Next([("api api-1", Seed(9000))], T0.AddMilliseconds(900), 120);
        var done = line.Next([], T0.AddMilliseconds(950), 120);

        Assert.All(new[] { started, running, done }, Assert.Null);
    }

    [Fact]
    public void ALongSeed_ShowsAfterOneSecond_InPlace_ThenIsCleared()
    {
        var line = new SeedLine();

        line.Next([("api api-1", Seed(10))], T0, 120);
        var shown = line.Next([("api api-1", Seed(4210))], T0.AddSeconds(1.2), 120);
        var same = line.Next([("api api-1", Seed(4210))], T0.AddSeconds(1.3), 120);
        var cleared = line.Next([], T0.AddSeconds(2), 120);

        Assert.Equal("\r\u001b[Kapi api-1: seeding 4,210/10,000 files, 16/40 MB (1 s)\r", shown);
        Assert.Null(same);
        Assert.Equal("\r\u001b[K", cleared);
    }

    [Fact]
    public void TwoSeeds_OneLine_CutToTheTerminal()
    {
        var line = new SeedLine();
        line.Next([("api api-1", Seed(1)), ("web web-0", Seed(2))], T0, 40);

        var text = line.Next([("api api-1", Seed(1)), ("web web-0", Seed(2))], T0.AddSeconds(3), 40);

        Assert.Equal("\r\u001b[Kapi api-1: seeding 1/10,000 files, 0/40\r", text);
    }

    [Fact]
    public void ASeedThatEndsAndStartsAgain_WaitsItsOwnSecond()
    {
        var line = new SeedLine();
        line.Next([("api api-1", Seed(1))], T0, 120);
        line.Next([], T0.AddSeconds(0.5), 120);

        var again = line.Next([("api api-1", Seed(1))], T0.AddSeconds(1.2), 120);

        Assert.Null(again);
    }
}
