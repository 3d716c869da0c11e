using KSync.Syncthing.Versions;

namespace KSync.Syncthing.Tests.Units;

public sealed class SyncthingVersionTests
{
    [Theory]
    [InlineData("syncthing v1.19.2-ds1 \"Fermium Flea\" (go1.19.8 linux-amd64) debian@debian 2023-04-09 10:47:16 UTC", 1, 19, 2, "v1.19.2-ds1")]
    [InlineData("syncthing v2.1.3 \"Hafnium Hornet\" (go1.25.1 darwin-arm64) builder@github.syncthing.net", 2, 1, 3, "v2.1.3")]
    [InlineData("v1.23.0-rc.1", 1, 23, 0, "v1.23.0-rc.1")]
    public void TryParse_VersionLines_PartsRead(string text, int major, int minor, int patch, string printed)
    {
        Assert.True(SyncthingVersion.TryParse(text, out var version));
        Assert.Equal((major, minor, patch, printed), (version.Major, version.Minor, version.Patch, version.Text));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("rsync  version 3.2.7  protocol version 31")]
    public void TryParse_NoVersion_False(string? text) => Assert.False(SyncthingVersion.TryParse(text, out _));

    [Fact]
    public void CompareTo_OrdersByNumbersNotSuffix()
    {
        Assert.True(SyncthingVersion.Of(1, 23, 0).CompareTo(SyncthingVersion.Of(1, 19, 9)) > 0);
        Assert.True(SyncthingVersion.Of(2, 0, 0).CompareTo(SyncthingVersion.Of(1, 30, 0)) > 0);
        Assert.True(SyncthingVersion.Of(1, 19, 2).IsAtLeast(1, 19));
        Assert.False(SyncthingVersion.Of(1, 22, 9).IsAtLeast(1, 23));
    }
}
