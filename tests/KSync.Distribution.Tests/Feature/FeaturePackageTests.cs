using System.Formats.Tar;
using System.Text.Json.Nodes;
using KSync.Distribution.Tests.Infrastructure;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Feature;

/// <summary>`devcontainer features package` (what the release workflow publishes to GHCR) on the feature's source.</summary>
public sealed class FeaturePackageTests
{
    [Fact]
    public async Task Package_FeatureSource_MakesAnArchiveWithTheFeatureFiles()
    {
        var cli = DevcontainerCli.Require();
        using var output = new TempDirectory("ksync-feature-package");

        var result = await Shell.RunAsync(cli, ["features", "package", Path.Combine(Repository.Root, "devcontainer-feature", "src"), "--output-folder", output.Path, "--force-clean-output-folder"]);

        Assert.True(result.ExitCode == 0, result.Output);
        var entries = ReadTgz(output.Combine("devcontainer-feature-ksync.tgz"));
        Assert.Equal(["devcontainer-feature.json", "install.sh", "start-watch.sh"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.True(entries["install.sh"].HasFlag(UnixFileMode.UserExecute));
        Assert.True(entries["start-watch.sh"].HasFlag(UnixFileMode.UserExecute));
        var collection = JsonNode.Parse(File.ReadAllText(output.Combine("devcontainer-collection.json")))!;
        var feature = collection["features"]!.AsArray().Single()!;
        Assert.Equal("ksync", (string)feature["id"]!);
        Assert.Equal("/usr/local/share/ksync/start-watch.sh", (string)feature["postStartCommand"]!);
        Assert.Equal("/usr/local/share/ksync/start-watch.sh --entrypoint", (string)feature["entrypoint"]!);
    }

    [Fact]
    public async Task Package_FeatureJsonWithoutName_FailsAndSaysWhy()
    {
        var cli = DevcontainerCli.Require();
        using var source = new TempDirectory("ksync-feature-broken");
        source.WriteFile("ksync/devcontainer-feature.json", "{ \"id\": \"ksync\", \"version\": \"1.0.0\" }");
        source.WriteFile("ksync/install.sh", "#!/bin/sh\n");
        using var output = new TempDirectory("ksync-feature-broken-out");

        var result = await Shell.RunAsync(cli, ["features", "package", source.Path, "--output-folder", output.Path, "--force-clean-output-folder"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("missing one of the following required properties", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output.Combine("devcontainer-collection.json")));
    }

    // Despite the .tgz name the CLI writes a plain tar (the OCI layer type is application/vnd.devcontainers.layer.v1+tar).
    private static Dictionary<string, UnixFileMode> ReadTgz(string path)
    {
        using var file = File.OpenRead(path);
        using var tar = new TarReader(file);
        var entries = new Dictionary<string, UnixFileMode>();
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                entries[entry.Name.TrimStart('.', '/')] = entry.Mode;
            }
        }

        return entries;
    }
}
