using KSync.Plugin.Output;

namespace KSync.Plugin.Tests.Output;

/// <summary>How a seed's progress reads in <c>get</c> and watch's progress line (docs/architecture.md, "The seed").</summary>
public sealed class SeedTextTests
{
    [Fact]
    public void Compact_FilesWithThousandsSeparators_BytesInTheTotalsUnit() =>
        Assert.Equal(
            "seeding 4,210/10,000 files, 12/40 MB",
            SeedText.Compact(new SeedView { FilesDone = 4210, FilesTotal = 10000, BytesDone = 12_999_999, BytesTotal = 40_960_000 }));

    [Theory]
    [InlineData(0, 0, "0/0 B")]
    [InlineData(512, 900, "512/900 B")]
    [InlineData(1_500, 900_000, "1/900 kB")]
    [InlineData(39_999_999, 39_999_999, "39/39 MB")]
    [InlineData(1_250_000_000, 3_499_000_000, "1.2/3.4 GB")]
    public void Bytes_RoundedDown_SoDoneNeverShowsMoreThanIsThere(long done, long total, string text) =>
        Assert.Equal(text, SeedText.Bytes(done, total));

    [Fact]
    public void StatusText_SeedingOnlyWhileSyncingWithASeed()
    {
        var seed = new SeedView { FilesDone = 1, FilesTotal = 2, BytesDone = 10, BytesTotal = 20 };

        Assert.Equal("seeding 1/2 files, 10/20 B", SpecTable.StatusText(new ServiceView { Status = "syncing", Seed = seed }));
        Assert.Equal("syncing", SpecTable.StatusText(new ServiceView { Status = "syncing" }));
        Assert.Equal("reconnecting", SpecTable.StatusText(new ServiceView { Status = "reconnecting", Seed = seed }));
    }
}
