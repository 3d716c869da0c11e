using KSync.Syncthing.Install;

namespace KSync.Syncthing.Tests.Install;

/// <summary>The pinned release table and how URLs are formed.</summary>
public sealed class SyncthingReleaseTests
{
    [Fact]
    public void Assets_EveryPlatform_HasAnOfficialNameAndSha256()
    {
        var platforms = SyncthingRelease.Assets.Select(a => $"{a.Os}/{a.Arch}").ToHashSet();
        Assert.Equal(["linux/amd64", "linux/arm64", "macos/amd64", "macos/arm64", "windows/amd64", "windows/arm64"], platforms.Order());
        foreach (var asset in SyncthingRelease.Assets)
        {
            Assert.Matches("^[0-9a-f]{64}$", asset.Sha256);
            var extension = asset.Os == "linux" ? ".tar.gz" : ".zip";
            Assert.Equal($"syncthing-{asset.Os}-{asset.Arch}-v{SyncthingRelease.Version}{extension}", asset.FileName);
        }

        Assert.Equal(SyncthingRelease.Assets.Count, SyncthingRelease.Assets.Select(a => a.Sha256).Distinct().Count());
    }

    [Fact]
    public void ForCurrentMachine_Linux_IsTheLinuxTarball()
    {
        var asset = SyncthingRelease.ForCurrentMachine();
        Assert.Equal("linux", asset.Os);
        Assert.EndsWith(".tar.gz", asset.FileName, StringComparison.Ordinal);
        Assert.Equal($"syncthing-linux-{asset.Arch}-v{SyncthingRelease.Version}", asset.TopFolder);
        Assert.Equal("syncthing", asset.ExecutableName);
    }

    [Fact]
    public void For_UnknownPlatform_ClearError()
    {
        var error = Assert.Throws<SyncthingException>(() => SyncthingRelease.For("freebsd", "riscv64"));
        Assert.Contains("freebsd/riscv64", error.Message, StringComparison.Ordinal);
        Assert.Contains("KSYNC_SYNCTHING", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://mirror.example/syncthing", "https://mirror.example/syncthing/v2.1.3/syncthing-linux-amd64-v2.1.3.tar.gz")]
    [InlineData("https://mirror.example/syncthing/", "https://mirror.example/syncthing/v2.1.3/syncthing-linux-amd64-v2.1.3.tar.gz")]
    [InlineData("https://github.com/syncthing/syncthing/releases/download/", "https://github.com/syncthing/syncthing/releases/download/v2.1.3/syncthing-linux-amd64-v2.1.3.tar.gz")]
    public void DownloadUrl_BaseWithOrWithoutSlash_AppendsVersionFolderAndFile(string baseUrl, string expected)
        => Assert.Equal(expected, SyncthingRelease.DownloadUrl(new Uri(baseUrl), SyncthingRelease.For("linux", "amd64")).AbsoluteUri);

    [Fact]
    public void ResolveBaseUrl_FlagBeatsEnvironmentBeatsDefault()
    {
        var env = new Dictionary<string, string?> { ["KSYNC_SYNCTHING_URL"] = "http://env.example/st" };
        Assert.Equal("http://flag.example/st", SyncthingInstaller.ResolveBaseUrl("http://flag.example/st", env.GetValueOrDefault).AbsoluteUri);
        Assert.Equal("http://env.example/st", SyncthingInstaller.ResolveBaseUrl(null, env.GetValueOrDefault).AbsoluteUri);
        Assert.Equal(SyncthingRelease.DefaultBaseUrl, SyncthingInstaller.ResolveBaseUrl(null, _ => null));
    }

    [Theory]
    [InlineData("ftp://mirror.example/st")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    public void ResolveBaseUrl_NotHttp_ClearError(string value)
    {
        var error = Assert.Throws<SyncthingException>(() => SyncthingInstaller.ResolveBaseUrl(value, _ => null));
        Assert.Contains("--syncthing-url must be an absolute http or https URL", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressBar_Render_ShowsPercentAndSizes()
    {
        Assert.Equal("x.tar.gz [###############               ]  50%  5.0/10.0 MB", DownloadProgressBar.Render("x.tar.gz", 5_000_000, 10_000_000));
        Assert.Equal("x.tar.gz 1.5 MB", DownloadProgressBar.Render("x.tar.gz", 1_500_000, null));
    }
}
