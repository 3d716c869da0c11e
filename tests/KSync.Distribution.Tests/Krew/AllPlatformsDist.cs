using KSync.Distribution.Tests.Infrastructure;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Krew;

/// <summary>
/// A release folder as the release workflow makes it: package.sh archives for all six krew platforms, then
/// checksums.txt and the rendered manifest. Only the linux binary for this machine can be built here (the other five
/// come from native runners in the release workflow), so its bytes stand in for the others: the archive layout,
/// names, checksums and manifest are what is under test, not the foreign binaries.
/// </summary>
public sealed class AllPlatformsDist : IAsyncLifetime
{
    public static readonly (string Os, string Arch)[] Platforms = [("linux", "amd64"), ("linux", "arm64"), ("darwin", "amd64"), ("darwin", "arm64"), ("windows", "amd64"), ("windows", "arm64")];

    private readonly TempDirectory _root = new("ksync-krew");

    public string Dist => _root.Combine("dist");

    public string Version { get; private set; } = string.Empty;

    public string Manifest => Path.Combine(Dist, "ksync.yaml");

    public async ValueTask InitializeAsync()
    {
        var binary = await Binaries.PluginAsync(TestContext.Current.CancellationToken);
        Version = await PluginArchives.VersionAsync(binary);
        foreach (var (os, arch) in Platforms)
        {
            (await Shell.RunAsync(PluginArchives.PackageScript, ["archive", "--version", Version, "--os", os, "--arch", arch, "--binary", binary, "--out", Dist])).EnsureSuccess();
        }

        (await Shell.RunAsync(PluginArchives.PackageScript, ["manifest", "--version", Version, "--out", Dist])).EnsureSuccess();
    }

    public ValueTask DisposeAsync()
    {
        _root.Dispose();
        return ValueTask.CompletedTask;
    }
}
