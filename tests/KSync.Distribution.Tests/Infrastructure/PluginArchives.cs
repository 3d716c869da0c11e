using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>
/// The release archive of the published AOT binary for this machine, made once per test run by
/// <c>krew/package.sh archive</c> + <c>manifest --allow-missing</c> into <c>artifacts/test-dist/</c>, with its
/// checksums.txt — what the feature installs offline and what kubectl finds on PATH.
/// </summary>
public static partial class PluginArchives
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static string? s_directory;

    /// <summary>Gets krew's and the archives' name for this machine's architecture.</summary>
    public static string HostArch => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";

    /// <summary>Gets the package.sh path.</summary>
    public static string PackageScript => Path.Combine(Repository.Root, "krew", "package.sh");

    /// <summary>The folder with kubectl-ksync_v&lt;version&gt;_linux_&lt;arch&gt;.tar.gz, checksums.txt and ksync.yaml.</summary>
    public static async Task<string> LinuxAsync()
    {
        await s_gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (s_directory is not null)
            {
                return s_directory;
            }

            var binary = await Binaries.PluginAsync(TestContext.Current.CancellationToken);
            var version = await VersionAsync(binary);
            var dir = Path.Combine(Repository.Artifacts, "test-dist", "linux");
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            (await Shell.RunAsync(PackageScript, ["archive", "--version", version, "--os", "linux", "--arch", HostArch, "--binary", binary, "--out", dir])).EnsureSuccess();
            (await Shell.RunAsync(PackageScript, ["manifest", "--version", version, "--out", dir, "--allow-missing"])).EnsureSuccess();
            s_directory = dir;
            return dir;
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>The archive for this machine inside <see cref="LinuxAsync"/>'s folder.</summary>
    public static async Task<string> LinuxArchiveAsync()
    {
        var dir = await LinuxAsync();
        return Directory.GetFiles(dir, $"kubectl-ksync_v*_linux_{HostArch}.tar.gz").Single();
    }

    /// <summary>The version the binary reports (<c>Client version: X</c>).</summary>
    public static async Task<string> VersionAsync(string binary)
    {
        var result = (await Shell.RunAsync(binary, ["version"])).EnsureSuccess();
        return ClientVersion().Match(result.Stdout).Groups[1].Value;
    }

    [GeneratedRegex(@"Client version: (\S+)")]
    private static partial Regex ClientVersion();
}
