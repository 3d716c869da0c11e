using KSync.Syncthing.Versions;
using KSync.Syncthing.Install;
using KSync.Syncthing.Tests.Fixtures;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Install;

/// <summary>The installer against a local HTTP server serving a real archive in the official release layout.</summary>
public sealed class SyncthingInstallerTests : IAsyncLifetime
{
    private const string TarName = $"syncthing-linux-amd64-v{SyncthingRelease.Version}.tar.gz";
    private readonly StaticHttpServer _server = new();
    private readonly TempDirectory _bin = new("ksync-bin");
    private byte[] _tarGz = [];
    private string _debianBinary = string.Empty;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _debianBinary = Requires.Tool("syncthing", "syncthing");
        _tarGz = ReleaseArchive.TarGz(TarName[..^".tar.gz".Length], _debianBinary);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Install_GoodArchive_OnlyTheExecutableInstalledAndRuns()
    {
        _server.Serve($"/v{SyncthingRelease.Version}/{TarName}", _tarGz);
        var asset = new SyncthingReleaseAsset("linux", "amd64", TarName, ReleaseArchive.Sha256(_tarGz));
        using var progress = new StringWriter();

        var path = await new SyncthingInstaller().InstallAsync(_server.BaseAddress, asset, _bin.Path, progress, Token);

        Assert.Equal(Path.Combine(_bin.Path, "syncthing"), path);
        Assert.Equal(["syncthing"], Directory.GetFileSystemEntries(_bin.Path).Select(Path.GetFileName));
        Assert.Equal(await File.ReadAllBytesAsync(_debianBinary, Token), await File.ReadAllBytesAsync(path, Token));
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("v1.19.2-ds1", (await SyncthingBinaryResolver.ReadVersionAsync(path, Token)).Text);
        Assert.Contains("100%", progress.ToString(), StringComparison.Ordinal);
        Assert.Contains(TarName, progress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_ZipArchive_ExecutableExtracted()
    {
        var zipName = $"syncthing-macos-arm64-v{SyncthingRelease.Version}.zip";
        var zip = ReleaseArchive.Zip(zipName[..^".zip".Length], _debianBinary);
        _server.Serve($"/v{SyncthingRelease.Version}/{zipName}", zip);

        var path = await new SyncthingInstaller().InstallAsync(_server.BaseAddress, new SyncthingReleaseAsset("macos", "arm64", zipName, ReleaseArchive.Sha256(zip)), _bin.Path, null, Token);

        Assert.Equal(await File.ReadAllBytesAsync(_debianBinary, Token), await File.ReadAllBytesAsync(path, Token));
        Assert.Single(Directory.GetFileSystemEntries(_bin.Path));
    }

    [Fact]
    public async Task Install_WrongChecksum_NothingInstalled()
    {
        _server.Serve($"/v{SyncthingRelease.Version}/{TarName}", _tarGz);
        File.WriteAllText(Path.Combine(_bin.Path, "syncthing"), "the previous install");

        // The pinned table holds the official archive's checksum, which this archive does not have.
        var error = await Assert.ThrowsAsync<SyncthingException>(
            () => new SyncthingInstaller().InstallAsync(_server.BaseAddress, SyncthingRelease.For("linux", "amd64"), _bin.Path, null, Token));

        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains(SyncthingRelease.For("linux", "amd64").Sha256, error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was installed", error.Message, StringComparison.Ordinal);
        Assert.Equal(["syncthing"], Directory.GetFileSystemEntries(_bin.Path).Select(Path.GetFileName));
        Assert.Equal("the previous install", File.ReadAllText(Path.Combine(_bin.Path, "syncthing")));
    }

    [Fact]
    public async Task Install_NotFound_ClearErrorNothingLeft()
    {
        var error = await Assert.ThrowsAsync<SyncthingException>(
            () => new SyncthingInstaller().InstallAsync(_server.BaseAddress, SyncthingRelease.For("linux", "amd64"), _bin.Path, null, Token));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Contains($"/v{SyncthingRelease.Version}/{TarName}", error.Message, StringComparison.Ordinal);
        Assert.Contains("--syncthing-url", error.Hint, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_bin.Path));
    }

    [Fact]
    public async Task Install_InterruptedDownload_NoPartialFile()
    {
        _server.Serve($"/v{SyncthingRelease.Version}/{TarName}", _tarGz, interrupt: true);
        var asset = new SyncthingReleaseAsset("linux", "amd64", TarName, ReleaseArchive.Sha256(_tarGz));

        var error = await Assert.ThrowsAsync<SyncthingException>(
            () => new SyncthingInstaller().InstallAsync(_server.BaseAddress, asset, _bin.Path, new StringWriter(), Token));

        Assert.Contains("interrupted", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_bin.Path));
    }

    [Fact]
    public async Task Install_ArchiveWithoutExecutable_NothingInstalled()
    {
        var empty = ReleaseArchive.Zip("wrong-top-folder", _debianBinary);
        var zipName = $"syncthing-windows-amd64-v{SyncthingRelease.Version}.zip";
        _server.Serve($"/v{SyncthingRelease.Version}/{zipName}", empty);

        var error = await Assert.ThrowsAsync<SyncthingException>(
            () => new SyncthingInstaller().InstallAsync(_server.BaseAddress, new SyncthingReleaseAsset("windows", "amd64", zipName, ReleaseArchive.Sha256(empty)), _bin.Path, null, Token));

        Assert.Contains("syncthing.exe", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_bin.Path));
    }

    [Fact]
    public async Task InstallPinned_SameVersionPresent_NotDownloadedAgain()
    {
        var fake = Path.Combine(_bin.Path, "syncthing");
        File.WriteAllText(fake, $"#!/bin/sh\necho 'syncthing v{SyncthingRelease.Version} \"Hafnium Hornet\" (go1.25 linux-amd64)'\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);

        var (path, already) = await new SyncthingInstaller().InstallPinnedAsync(_bin.Path, _server.BaseAddress, null, Token);

        Assert.True(already);
        Assert.Equal(fake, path);
        Assert.Empty(_server.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _bin.Dispose();
    }
}
