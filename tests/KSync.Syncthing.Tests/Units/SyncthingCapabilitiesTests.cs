using KSync.Syncthing.Versions;

namespace KSync.Syncthing.Tests.Units;

public sealed class SyncthingCapabilitiesTests
{
    [Fact]
    public void V119_WatcherDelayIsWholeSecondsAtLeastOne()
    {
        var caps = SyncthingCapabilities.For(SyncthingVersion.Of(1, 19, 2));
        Assert.Equal(TimeSpan.FromSeconds(1), caps.MinimumWatcherDelay);
        Assert.Equal(1, caps.WatcherDelaySeconds(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(1, caps.WatcherDelaySeconds(TimeSpan.Zero));
        Assert.Equal(3, caps.WatcherDelaySeconds(TimeSpan.FromSeconds(2.2)));
        Assert.False(caps.HasPullerDelay);
        Assert.Contains("--logflags=3", caps.ServeArguments("/h", 1234));
        Assert.Contains("--skip-port-probing", caps.GenerateArguments("/h"));
        Assert.Equal("minio", caps.ServeEnvironment("k")["STHASHING"]);
    }

    [Fact]
    public void V123_WatcherDelayIsFractionalDownTo10Ms()
    {
        var caps = SyncthingCapabilities.For(SyncthingVersion.Of(1, 23, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(10), caps.MinimumWatcherDelay);
        Assert.Equal(0.01, caps.WatcherDelaySeconds(TimeSpan.Zero));
        Assert.Equal(0.25, caps.WatcherDelaySeconds(TimeSpan.FromMilliseconds(250)));
    }

    [Fact]
    public void V2_PullerDelayAndNewFlags()
    {
        var caps = SyncthingCapabilities.For(SyncthingVersion.Of(2, 1, 3));
        Assert.True(caps.HasPullerDelay);
        Assert.Equal(0.01, caps.WatcherDelaySeconds(TimeSpan.Zero));
        Assert.DoesNotContain(caps.ServeArguments("/h", 1), a => a.StartsWith("--logflags", StringComparison.Ordinal));
        Assert.Contains("--no-port-probing", caps.GenerateArguments("/h"));
        Assert.False(caps.ServeEnvironment("k").ContainsKey("STHASHING"));
    }

    [Fact]
    public void ServeArguments_NeverCarryTheApiKey()
    {
        var caps = SyncthingCapabilities.For(SyncthingVersion.Of(1, 19, 2));
        Assert.DoesNotContain(caps.ServeArguments("/h", 8384), a => a.Contains("apikey", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("secret", caps.ServeEnvironment("secret")["STGUIAPIKEY"]);
        Assert.Equal("1", caps.ServeEnvironment("secret")["STMONITORED"]);
    }

    [Theory]
    [InlineData(1, 18, 6)]
    [InlineData(0, 14, 55)]
    [InlineData(3, 0, 0)]
    public void For_UnsupportedVersion_ClearError(int major, int minor, int patch)
    {
        var error = Assert.Throws<SyncthingException>(() => SyncthingCapabilities.For(SyncthingVersion.Of(major, minor, patch)));
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("init --local", error.Hint, StringComparison.Ordinal);
    }
}
