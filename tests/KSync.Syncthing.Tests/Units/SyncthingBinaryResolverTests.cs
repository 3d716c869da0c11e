using KSync.Syncthing.Versions;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Units;

public sealed class SyncthingBinaryResolverTests : IDisposable
{
    private readonly TempDirectory _dir = new("ksync-res");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Resolve_Order_EnvThenHomeBinThenPath()
    {
        var real = Requires.Tool("syncthing", "syncthing");
        var bin = _dir.Combine("home", "bin");
        var pathDir = Path.GetDirectoryName(real)!;
        Directory.CreateDirectory(bin);

        var fromPath = await SyncthingBinaryResolver.ResolveAsync(bin, Env(("PATH", pathDir)), Token);
        Assert.Equal(real, fromPath.Path);
        Assert.True(fromPath.Version.IsAtLeast(1, 19));

        File.Copy(real, Path.Combine(bin, "syncthing"));
        Assert.Equal(Path.Combine(bin, "syncthing"), SyncthingBinaryResolver.Locate(bin, Env(("PATH", pathDir))));

        var custom = _dir.Combine("custom-syncthing");
        File.Copy(real, custom);
        Assert.Equal(custom, SyncthingBinaryResolver.Locate(bin, Env(("PATH", pathDir), ("KSYNC_SYNCTHING", custom))));
    }

    [Fact]
    public void Locate_EnvNamesMissingFile_ClearError()
    {
        var error = Assert.Throws<SyncthingException>(() => SyncthingBinaryResolver.Locate(_dir.Combine("bin"), Env(("KSYNC_SYNCTHING", "/nope/syncthing"))));
        Assert.Contains("KSYNC_SYNCTHING names '/nope/syncthing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Locate_NowhereToBeFound_HintsInitLocal()
    {
        var error = Assert.Throws<SyncthingException>(() => SyncthingBinaryResolver.Locate(_dir.Combine("bin"), Env(("PATH", _dir.Path))));
        Assert.Contains("kubectl ksync init --local", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_NotSyncthing_ClearError()
    {
        var fake = _dir.WriteFile("syncthing", "#!/bin/sh\necho 'hello'\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);

        var error = await Assert.ThrowsAsync<SyncthingException>(() => SyncthingBinaryResolver.ResolveAsync(_dir.Combine("h", "bin"), Env(("KSYNC_SYNCTHING", fake)), Token));

        Assert.Contains("printed no syncthing version", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Env(params (string Name, string Value)[] values)
        => name => values.FirstOrDefault(v => v.Name == name).Value;
}
