using KSync.Distribution.Tests.Infrastructure;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Feature;

/// <summary>
/// The feature's install.sh, run for real as root in containers of the locally built Debian 12 image (what a Dev
/// Container build does), with downloads served by the local mirror.
/// </summary>
[Collection(DebianGroup.Name)]
public sealed class InstallScriptTests(DebianFixture debian)
{
    [Fact]
    public async Task Install_LocalArchive_InstallsPluginCompletionKubectlAndSyncthing()
    {
        debian.Require();
        var log = debian.InstallResult.Stdout;
        Assert.Contains($"checksum ok: kubectl-ksync_{debian.Tag}_linux_{PluginArchives.HostArch}.tar.gz", log, StringComparison.Ordinal);
        Assert.Contains($"checksum ok: kubectl {debian.KubectlVersion}", log, StringComparison.Ordinal);
        Assert.Contains("installing syncthing from the distribution's packages", log, StringComparison.Ordinal);

        // A debootstrap minbase image has neither: without libssl every cluster command aborts.
        Assert.Contains("installing what kubectl-ksync needs at run time: libssl3 ca-certificates", log, StringComparison.Ordinal);
        Assert.Matches(@"self-check: TLS ok \(OpenSSL 3\.\d+\.\d+, \d+ trusted CA certificates\)", log);

        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        var version = await debian.ExecAsync(id, "kubectl ksync version", user: "dev");
        var plugins = await debian.ExecAsync(id, "kubectl plugin list", user: "dev");
        var syncthing = await debian.ExecAsync(id, "syncthing --version", user: "dev");
        var files = await debian.ExecAsync(id, "ls -l /usr/local/bin/kubectl-ksync /usr/local/bin/kubectl_complete-ksync /usr/local/share/ksync/start-watch.sh && cat /usr/local/share/ksync/feature.env");

        Assert.True(version.ExitCode == 0, version.Output);
        Assert.Contains("Client version: ", version.Stdout, StringComparison.Ordinal);
        Assert.Contains("/usr/local/bin/kubectl-ksync", plugins.Stdout, StringComparison.Ordinal);
        Assert.True(syncthing.ExitCode == 0, syncthing.Output);
        Assert.StartsWith("syncthing v", syncthing.Stdout, StringComparison.Ordinal);
        Assert.True(files.ExitCode == 0, files.Output);
        Assert.Contains("-rwxr-xr-x", files.Stdout, StringComparison.Ordinal);
        Assert.Contains("KSYNC_AUTOSTART=true", files.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_InstalledContainer_CompletionWorksThroughKubectl()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await debian.ExecAsync(id, "mkdir -p /home/dev/src && kubectl ksync create /home/dev/src /app -l app=api --name api-sync", user: "dev");

        var script = await debian.ExecAsync(id, "kubectl_complete-ksync delete ''", user: "dev");
        var viaKubectl = await debian.ExecAsync(id, "kubectl __complete ksync ''", user: "dev");

        Assert.True(script.ExitCode == 0, script.Output);
        Assert.Equal("api-sync\tspec\n:4\n", script.Stdout);
        Assert.True(viaKubectl.ExitCode == 0, viaKubectl.Output);
        Assert.Contains("delete\t", viaKubectl.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(":4\n", viaKubectl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_Twice_IsIdempotent()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);

        var again = await debian.InstallAsync(id, new Dictionary<string, string>(debian.MirrorEnvironment) { ["PLUGINARCHIVE"] = "/dist" });
        var version = await debian.ExecAsync(id, "kubectl ksync version", user: "dev");
        var binaries = await debian.ExecAsync(id, "ls /usr/local/bin | sort | tr '\\n' ' '");

        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("kubectl found at /usr/local/bin/kubectl; leaving it as it is", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("syncthing found at /usr/bin/syncthing; leaving it as it is", again.Stdout, StringComparison.Ordinal);
        Assert.True(version.ExitCode == 0, version.Output);
        Assert.Equal("kubectl kubectl-ksync kubectl_complete-ksync", binaries.Stdout.Trim());
    }

    [Fact]
    public async Task Install_LibsslThereButUnusable_FailsTheTlsSelfCheck()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);

        // The library file exists (so nothing is installed) but cannot be loaded: only a check that uses TLS sees it.
        (await debian.ExecAsync(id, "for f in /usr/lib/*/libssl.so.3; do : > \"$f\"; done")).EnsureSuccess();
        var result = await debian.InstallAsync(id, new Dictionary<string, string>(debian.MirrorEnvironment) { ["PLUGINARCHIVE"] = "/dist", ["SYNCTHINGVERSION"] = "none" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ksync feature: error: the installed kubectl-ksync does not run here:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("TLS does not work here: the OpenSSL library (libssl 3 or 1.1) cannot be loaded", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("installing what kubectl-ksync needs", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_LatestRelease_ResolvesTheTagDownloadsAndVerifies()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await debian.ExecAsync(id, "rm /usr/local/bin/kubectl-ksync /usr/local/bin/kubectl_complete-ksync");

        var result = await debian.InstallAsync(id, new Dictionary<string, string>(debian.MirrorEnvironment) { ["VERSION"] = "latest", ["SYNCTHINGVERSION"] = "none" });
        var version = await debian.ExecAsync(id, "kubectl ksync version", user: "dev");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"downloading kubectl-ksync {debian.Tag}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("checksum ok: kubectl-ksync_", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("/releases/latest", debian.Mirror.Requests);
        Assert.Contains($"/releases/download/{debian.Tag}/checksums.txt", debian.Mirror.Requests);
        Assert.True(version.ExitCode == 0, version.Output);
    }

    [Fact]
    public async Task Install_SyncthingRelease_DownloadsVerifiesAndInstalls()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);

        var result = await debian.InstallAsync(id, new Dictionary<string, string>(debian.MirrorEnvironment) { ["PLUGINARCHIVE"] = "/dist", ["SYNCTHINGVERSION"] = "1.27.12" });
        var syncthing = await debian.ExecAsync(id, "/usr/local/bin/syncthing --version", user: "dev");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"checksum ok: syncthing-linux-{PluginArchives.HostArch}-v1.27.12.tar.gz", result.Stdout, StringComparison.Ordinal);
        Assert.True(syncthing.ExitCode == 0, syncthing.Output);
        Assert.StartsWith("syncthing v", syncthing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_SyncthingReleaseWithWrongChecksum_FailsClearly()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);

        var result = await debian.InstallAsync(id, new Dictionary<string, string>(debian.MirrorEnvironment) { ["PLUGINARCHIVE"] = "/dist", ["SYNCTHINGVERSION"] = "v1.27.13" });
        var left = await debian.ExecAsync(id, "test -e /usr/local/bin/syncthing");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"ksync feature: error: checksum mismatch for syncthing-linux-{PluginArchives.HostArch}-v1.27.13.tar.gz", result.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, left.ExitCode);
    }

    [Fact]
    public async Task Install_WrongChecksum_FailsClearlyAndInstallsNothing()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await debian.ExecAsync(id, "rm /usr/local/bin/kubectl-ksync");

        var result = await debian.InstallAsync(id, new Dictionary<string, string>(debian.MirrorEnvironment) { ["VERSION"] = "9.9.9" });
        var left = await debian.ExecAsync(id, "test -e /usr/local/bin/kubectl-ksync");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"ksync feature: error: checksum mismatch for kubectl-ksync_v9.9.9_linux_{PluginArchives.HostArch}.tar.gz: expected {new string('0', 64)}", result.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, left.ExitCode);
    }

    [Fact]
    public async Task Install_ReleaseNotFound_FailsWithTheUrl()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);

        var result = await debian.InstallAsync(id, new Dictionary<string, string>(debian.MirrorEnvironment) { ["VERSION"] = "v8.8.8" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"ksync feature: error: download failed: {debian.Mirror.BaseUrl}/releases/download/v8.8.8/checksums.txt", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_MirrorUnreachable_FailsClearly()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        var closed = $"http://127.0.0.1:{FreePort.Next()}/releases";

        var result = await debian.InstallAsync(id, new Dictionary<string, string> { ["KSYNC_RELEASE_BASE_URL"] = closed, ["VERSION"] = "latest" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"ksync feature: error: could not find the latest kubectl-ksync release at {closed}/latest", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KSYNC_ARCH", "armv7l", "unsupported architecture 'armv7l': kubectl-ksync is built for amd64 (x86_64) and arm64 (aarch64).")]
    [InlineData("KSYNC_OS", "Darwin", "unsupported operating system 'Darwin'")]
    [InlineData("VERSION", "banana", "version 'banana' is not 'latest' or a version such as 0.1.0.")]
    [InlineData("PLUGINARCHIVE", "/nowhere/ksync.tar.gz", "pluginArchive '/nowhere/ksync.tar.gz' does not exist")]
    [InlineData("PLUGINARCHIVE", "/tmp", "no kubectl-ksync_<version>_linux_")]
    [InlineData("AUTOSTART", "yes", "autoStart must be true or false, not 'yes'.")]
    [InlineData("SYNCTHINGVERSION", "newest", "syncthingVersion 'newest' is not 'os', 'none' or a version such as 1.27.12.")]
    [InlineData("PROJECTSPECS", "../ksync.yaml", "projectSpecs '../ksync.yaml' must be a path inside the workspace folder, relative to it")]
    [InlineData("PROJECTSPECS", "/etc/ksync.yaml", "projectSpecs '/etc/ksync.yaml' must be a path inside the workspace folder, relative to it")]
    public async Task Install_BadInput_FailsWithAClearMessage(string variable, string value, string message)
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        var options = new Dictionary<string, string>(debian.MirrorEnvironment) { ["PLUGINARCHIVE"] = "/dist", ["SYNCTHINGVERSION"] = "none", [variable] = value };

        var result = await debian.InstallAsync(id, options);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ksync feature: error: " + message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_UnsupportedDistribution_FailsClearly()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianRootfs.Image);
        await debian.ExecAsync(id, "printf 'ID=fedora\\nID_LIKE=\"rhel centos\"\\n' > /etc/os-release");

        var result = await debian.InstallAsync(id, new Dictionary<string, string> { ["PLUGINARCHIVE"] = "/dist" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ksync feature: error: unsupported distribution 'fedora': the ksync feature supports Debian, Ubuntu and Alpine based images.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_NotRoot_FailsClearly()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);

        var result = await debian.ExecAsync(id, "/feature/install.sh", user: "dev", environment: new Dictionary<string, string> { ["PLUGINARCHIVE"] = "/dist" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ksync feature: error: install.sh must run as root", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_NoKubectlAndInstallKubectlFalse_LeavesKubectlOutAndSaysSo()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianRootfs.Image);

        var result = await debian.InstallAsync(id, new Dictionary<string, string> { ["PLUGINARCHIVE"] = "/dist", ["INSTALLKUBECTL"] = "false", ["SYNCTHINGVERSION"] = "none", ["AUTOSTART"] = "false" });
        var kubectl = await debian.ExecAsync(id, "command -v kubectl");
        var plugin = await debian.ExecAsync(id, "kubectl-ksync version && cat /usr/local/share/ksync/feature.env");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("kubectl is not installed and installKubectl is false", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("syncthing skipped (syncthingVersion=none)", result.Stdout, StringComparison.Ordinal);
        Assert.NotEqual(0, kubectl.ExitCode);
        Assert.True(plugin.ExitCode == 0, plugin.Output);
        Assert.Contains("KSYNC_AUTOSTART=false", plugin.Stdout, StringComparison.Ordinal);
    }
}
