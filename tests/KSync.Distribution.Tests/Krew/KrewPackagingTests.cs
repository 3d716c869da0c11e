using System.Security.Cryptography;
using KSync.Distribution.Tests.Infrastructure;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Krew;

/// <summary>krew/package.sh: the release archives, checksums.txt and the krew-index manifest rendered from .krew.yaml.</summary>
public sealed class KrewPackagingTests(AllPlatformsDist dist) : IClassFixture<AllPlatformsDist>
{
    [Fact]
    public void Manifest_AllPlatforms_PassesKrewIndexValidation()
    {
        var problems = KrewManifestRules.Validate(dist.Manifest, dist.Dist);

        Assert.Empty(problems);
        var text = File.ReadAllText(dist.Manifest);
        Assert.Contains($"  version: v{dist.Version}\n", text, StringComparison.Ordinal);
        Assert.Contains("kubectl ksync init", text, StringComparison.Ordinal);
        Assert.Equal(6, text.Split('\n').Count(l => l.TrimStart().StartsWith("sha256: ", StringComparison.Ordinal)));
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: v", "version: ", "spec.version")]
    [InlineData("sha256: ", "sha256: ABC", "must be 64 lowercase hex digits")]
    [InlineData("        arch: arm64", "        arch: amd64", "both match")]
    [InlineData("        os: darwin", "        os: freebsd", "matches no supported os/arch pair")]
    [InlineData("      matchLabels:", "      matchLabels:\n        distro: debian", "may only use the keys os and arch")]
    [InlineData("  name: ksync", "  name: ksync-other", "must equal the file name")]
    [InlineData("    bin: kubectl-ksync.exe", "    bin: kubectl-ksync", "must end with .exe on Windows")]
    [InlineData("apiVersion: krew.googlecontainertools.github.com/v1alpha2", "apiVersion: krew.googlecontainertools.github.com/v1alpha1", "apiVersion")]
    public void Rules_BrokenManifest_AreCaught(string find, string replace, string expected)
    {
        using var temp = new TempDirectory("ksync-krew-bad");
        var broken = temp.WriteFile("ksync.yaml", ReplaceFirst(File.ReadAllText(dist.Manifest), find, replace));

        var problems = KrewManifestRules.Validate(broken, dist.Dist);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rules_ArchiveWithoutLicense_IsCaught()
    {
        using var temp = new TempDirectory("ksync-krew-nolicense");
        foreach (var file in Directory.GetFiles(dist.Dist))
        {
            File.Copy(file, temp.Combine(Path.GetFileName(file)));
        }

        var linux = temp.Combine($"kubectl-ksync_v{dist.Version}_linux_amd64.tar.gz");
        (await Shell.BashAsync($"cd {Shell.Quote(temp.Path)} && mkdir x && tar -xzf {Shell.Quote(linux)} -C x && rm x/LICENSE && tar -C x -czf {Shell.Quote(linux)} . && sha=$(sha256sum {Shell.Quote(linux)} | cut -d' ' -f1) && sed -i \"0,/sha256: .*/s//sha256: $sha/\" ksync.yaml")).EnsureSuccess();

        var problems = KrewManifestRules.Validate(temp.Combine("ksync.yaml"), temp.Path);

        Assert.Equal([$"platforms[0]: kubectl-ksync_v{dist.Version}_linux_amd64.tar.gz holds no license file"], problems);
    }

    [Fact]
    public void Archives_HoldBinaryLicenseAndCompletion()
    {
        var linux = KrewManifestRules.ArchiveEntries(Path.Combine(dist.Dist, $"kubectl-ksync_v{dist.Version}_linux_arm64.tar.gz"));
        var windows = KrewManifestRules.ArchiveEntries(Path.Combine(dist.Dist, $"kubectl-ksync_v{dist.Version}_windows_amd64.zip"));

        Assert.Equal(["LICENSE", "kubectl-ksync", "kubectl_complete-ksync"], linux.Order(StringComparer.Ordinal));
        Assert.Equal(["LICENSE", "kubectl-ksync.exe"], windows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Checksums_ListEveryArchiveWithItsSha256()
    {
        var lines = File.ReadAllLines(Path.Combine(dist.Dist, "checksums.txt"));

        Assert.Equal(6, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split("  ");
            using var stream = File.OpenRead(Path.Combine(dist.Dist, parts[1]));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream)), parts[0]);
        }
    }

    [Fact]
    public async Task Archive_Twice_IsByteForByteTheSame()
    {
        using var temp = new TempDirectory("ksync-krew-repro");
        var binary = await Binaries.PluginAsync(TestContext.Current.CancellationToken);

        (await Shell.RunAsync(PluginArchives.PackageScript, ["archive", "--version", dist.Version, "--os", "linux", "--arch", "amd64", "--binary", binary, "--out", temp.Path])).EnsureSuccess();

        var name = $"kubectl-ksync_v{dist.Version}_linux_amd64.tar.gz";
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(dist.Dist, name), TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(temp.Combine(name), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Template_IsAtTheRootForTheReleaseBot_AndInKrewFolder()
    {
        var root = Path.Combine(Repository.Root, ".krew.yaml");
        var inFolder = Path.Combine(Repository.Root, "krew", "ksync.yaml");
        var text = File.ReadAllText(root);

        Assert.Equal(text, File.ReadAllText(inFolder));
        Assert.Equal(6, text.Split('\n').Count(l => l.StartsWith("    {{addURIAndSha \"https://github.com/ksync-dotnet/ksync/releases/download/{{ .TagName }}/kubectl-ksync_{{ .TagName }}_", StringComparison.Ordinal) && l.EndsWith("\" .TagName }}", StringComparison.Ordinal)));
        Assert.Contains("  version: {{ .TagName }}\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("archive --version 0.1.0 --os freebsd --arch amd64 --binary /bin/sh --out OUT", "unsupported --os 'freebsd'")]
    [InlineData("archive --version 0.1.0 --os linux --arch 386 --binary /bin/sh --out OUT", "unsupported --arch '386'")]
    [InlineData("archive --version 0.1.0 --os linux --arch amd64 --binary /nope/kubectl-ksync --out OUT", "the binary '/nope/kubectl-ksync' does not exist")]
    [InlineData("archive --version one --os linux --arch amd64 --binary /bin/sh --out OUT", "--version 'one' is not a semantic version")]
    [InlineData("archive --version 0.1.0 --os linux --arch amd64 --binary /bin/sh", "--out DIR is required")]
    [InlineData("archive --version 0.1.0 --color --out OUT", "unknown argument '--color'")]
    [InlineData("manifest --version 0.1.0 --out OUT", "no kubectl-ksync_v0.1.0_* archive in")]
    public async Task Package_BadInput_FailsWithAClearMessage(string arguments, string message)
    {
        using var temp = new TempDirectory("ksync-krew-badinput");
        var args = arguments.Split(' ').Select(a => a == "OUT" ? temp.Path : a);

        var result = await Shell.RunAsync(PluginArchives.PackageScript, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("package.sh: error: " + message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_MissingPlatformArchive_FailsUnlessAllowed()
    {
        using var temp = new TempDirectory("ksync-krew-missing");
        File.Copy(Path.Combine(dist.Dist, $"kubectl-ksync_v{dist.Version}_linux_amd64.tar.gz"), temp.Combine($"kubectl-ksync_v{dist.Version}_linux_amd64.tar.gz"));

        var strict = await Shell.RunAsync(PluginArchives.PackageScript, ["manifest", "--version", dist.Version, "--out", temp.Path]);
        var lenient = await Shell.RunAsync(PluginArchives.PackageScript, ["manifest", "--version", dist.Version, "--out", temp.Path, "--allow-missing"]);

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains($"no archive kubectl-ksync_v{dist.Version}_linux_arm64.tar.gz in", strict.Stderr, StringComparison.Ordinal);
        Assert.True(lenient.ExitCode == 0, lenient.Output);
        Assert.Empty(KrewManifestRules.Validate(temp.Combine("ksync.yaml"), temp.Path));
        Assert.Single(File.ReadAllLines(temp.Combine("ksync.yaml")), l => l.Contains("sha256:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LinuxArchive_OnPath_KubectlPluginListAndVersionWork()
    {
        using var temp = new TempDirectory("ksync-krew-path");
        var bin = temp.Combine("bin");
        Directory.CreateDirectory(bin);
        var archive = Path.Combine(dist.Dist, $"kubectl-ksync_v{dist.Version}_linux_{PluginArchives.HostArch}.tar.gz");
        (await Shell.RunAsync("tar", ["-xzf", archive, "-C", bin])).EnsureSuccess();
        var kubectl = Requires.Tool("kubectl", "kubectl");
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = bin + ":/usr/bin:/bin",
            ["HOME"] = temp.Path,
            ["KSYNC_HOME"] = temp.Combine("ksync-home"),
            ["KUBECONFIG"] = null,
        };

        var list = await Shell.RunAsync(kubectl, ["plugin", "list"], env);
        var version = await Shell.RunAsync(kubectl, ["ksync", "version"], env);

        Assert.True(list.ExitCode == 0, list.Output);
        Assert.Contains(Path.Combine(bin, "kubectl-ksync"), list.Stdout, StringComparison.Ordinal);
        Assert.True(version.ExitCode == 0, version.Output);
        Assert.Contains($"Client version: {dist.Version}", version.Stdout, StringComparison.Ordinal);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in the manifest");
        return text[..at] + replace + text[(at + find.Length)..];
    }
}
