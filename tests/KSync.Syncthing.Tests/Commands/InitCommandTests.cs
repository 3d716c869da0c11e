using KSync.Syncthing.Install;
using KSync.Syncthing.Tests.Fixtures;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Commands;

/// <summary><c>kubectl ksync init --local</c> through the published AOT binary, against a local HTTP server.</summary>
public sealed class InitCommandTests : IAsyncLifetime
{
    private readonly StaticHttpServer _server = new();
    private readonly TempDirectory _home = new("ksync-home");
    private string _plugin = string.Empty;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Bin => Path.Combine(_home.Path, "bin");

    public async ValueTask InitializeAsync() => _plugin = await Binaries.PluginAsync(Token);

    [Fact]
    public async Task InitLocal_ArchiveNotTheOfficialOne_ChecksumErrorNothingInstalled()
    {
        var asset = SyncthingRelease.ForCurrentMachine();
        var archive = ReleaseArchive.TarGz(asset.TopFolder, Requires.Tool("syncthing", "syncthing"));
        _server.Serve($"/v{SyncthingRelease.Version}/{asset.FileName}", archive);

        var result = await RunAsync(["init", "--local", "--syncthing-url", _server.BaseAddress.AbsoluteUri]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: The SHA-256 of", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(asset.Sha256, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Hint:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("100%", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(Bin) ? Directory.GetFileSystemEntries(Bin) : []);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task InitLocal_UrlFromEnvironment_404ClearError()
    {
        var result = await RunAsync(["init", "--local"], ("KSYNC_SYNCTHING_URL", _server.BaseAddress.AbsoluteUri + "mirror/"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("404", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"/mirror/v{SyncthingRelease.Version}/", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"/mirror/v{SyncthingRelease.Version}/{SyncthingRelease.ForCurrentMachine().FileName}", _server.Requests);
        Assert.Empty(Directory.Exists(Bin) ? Directory.GetFileSystemEntries(Bin) : []);
    }

    [Theory]
    [InlineData("ftp://mirror.example/")]
    [InlineData("not-a-url")]
    public async Task InitLocal_BadUrl_ClearErrorNothingCreated(string url)
    {
        var result = await RunAsync(["init", "--local", "--syncthing-url", url]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"--syncthing-url must be an absolute http or https URL, got '{url}'", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_home.Path));
    }

    [Fact]
    public async Task Init_NoKubeconfig_ClearErrorAndNoSyncthingDownloaded()
    {
        var result = await RunAsync(["init", "--remote"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No kubeconfig found", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_home.Path, "bin", "syncthing")), "--remote alone never installs the local syncthing");
    }

    [Fact]
    public async Task Init_UnknownFlag_UsageError()
    {
        var result = await RunAsync(["init", "--locale"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--locale", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_home.Path));
    }

    [Fact]
    public async Task InitHelp_ListsLocalAndSyncthingUrl()
    {
        var result = await RunAsync(["init", "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--local", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--syncthing-url", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("KSYNC_SYNCTHING_URL", result.Stdout, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _home.Dispose();
    }

    private Task<ProcessResult> RunAsync(string[] args, params (string Name, string Value)[] env)
    {
        var environment = new Dictionary<string, string?> { ["KSYNC_HOME"] = _home.Path, ["KSYNC_SYNCTHING_URL"] = null };
        foreach (var (name, value) in env)
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync(_plugin, args, environment, timeout: TimeSpan.FromSeconds(60), cancellationToken: Token);
    }
}
