using KSync.Proto.Radar.V1;
using KSync.Radar.Seeding;

namespace KSync.Radar.Tests.Seeding;

public sealed class SeedPlanRuleTests
{
    private static readonly SeedEntry File = new() { Path = "a.txt", Kind = SeedEntryKind.File, Mode = 0x1A4, Size = 10, MtimeSeconds = 1_700_000_000, MtimeNanos = 123_456_789 };

    [Fact]
    public void Needs_SameFile_False()
    {
        Assert.False(SeedPlanRule.Needs(File, new NodeEntry(SeedEntryKind.File, 0x1A4, 10, 1_700_000_000, 123_456_789, null)));
    }

    [Theory]
    [InlineData(11UL, 1_700_000_000L, 123_456_789U, 0x1A4U)] // size
    [InlineData(10UL, 1_700_000_001L, 123_456_789U, 0x1A4U)] // seconds
    [InlineData(10UL, 1_700_000_000L, 123_456_700U, 0x1A4U)] // nanoseconds only: syncthing would see another mtime
    [InlineData(10UL, 1_700_000_000L, 123_456_789U, 0x1EDU)] // mode
    public void Needs_FileDiffering_True(ulong size, long seconds, uint nanos, uint mode)
    {
        Assert.True(SeedPlanRule.Needs(File, new NodeEntry(SeedEntryKind.File, mode, size, seconds, nanos, null)));
    }

    [Fact]
    public void Needs_MissingOrOtherKind_True()
    {
        Assert.True(SeedPlanRule.Needs(File, null));
        Assert.True(SeedPlanRule.Needs(File, new NodeEntry(SeedEntryKind.Symlink, 0x1FF, 10, 1_700_000_000, 123_456_789, "a.txt")));
        Assert.True(SeedPlanRule.Needs(File, new NodeEntry(SeedEntryKind.Unspecified, 0x1A4, 10, 1_700_000_000, 123_456_789, null)));
    }

    [Fact]
    public void Needs_DirectoryAndSymlink_ByModeAndTarget()
    {
        var dir = new SeedEntry { Path = "d", Kind = SeedEntryKind.Directory, Mode = 0x1ED };
        var link = new SeedEntry { Path = "l", Kind = SeedEntryKind.Symlink, LinkTarget = "d" };

        Assert.False(SeedPlanRule.Needs(dir, new NodeEntry(SeedEntryKind.Directory, 0x1ED, 4096, 1, 0, null)));
        Assert.True(SeedPlanRule.Needs(dir, new NodeEntry(SeedEntryKind.Directory, 0x1C0, 4096, 1, 0, null)));
        Assert.False(SeedPlanRule.Needs(link, new NodeEntry(SeedEntryKind.Symlink, 0x1FF, 1, 1, 0, "d")));
        Assert.True(SeedPlanRule.Needs(link, new NodeEntry(SeedEntryKind.Symlink, 0x1FF, 1, 1, 0, "e")));
    }
}
