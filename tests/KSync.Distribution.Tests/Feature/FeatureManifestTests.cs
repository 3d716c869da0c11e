using System.Text.Json.Nodes;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Feature;

/// <summary>devcontainer-feature.json against the Features schema's rules, and the contract between it and its scripts.</summary>
public sealed class FeatureManifestTests
{
    private static readonly string s_folder = Path.Combine(Repository.Root, "devcontainer-feature", "src", "ksync");

    private static string Json => File.ReadAllText(Path.Combine(s_folder, "devcontainer-feature.json"));

    [Fact]
    public void FeatureJson_PassesTheFeaturesSchemaRules()
        => Assert.Empty(FeatureSchema.Validate(Json, "ksync"));

    [Theory]
    [InlineData("keywords", "[\"x\"]", "'keywords' is not a property of the Features schema")]
    [InlineData("version", "\"v1.0.0\"", "must be a semantic version without v")]
    [InlineData("id", "\"KSync\"", "must equal the folder name")]
    [InlineData("postStartCommand", "42", "'postStartCommand' must be a string")]
    [InlineData("installsAfter", "[\"ghcr.io/devcontainers/features/common-utils:2\"]", "must not carry a version")]
    [InlineData("options.autoStart.default", "\"true\"", "a boolean option needs a boolean default")]
    [InlineData("options.version.type", "\"number\"", "'type' must be boolean or string")]
    [InlineData("options.version.enum", "[\"0.1.0\"]", "the default must be one of the enum's values")]
    [InlineData("options.version.values", "[]", "a string option has only type, default, description and proposals")]
    public void Schema_BrokenDocument_IsCaught(string path, string value, string expected)
    {
        var document = JsonNode.Parse(Json)!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(document, (node, part) => node[part]!);
        parent[parts[^1]] = JsonNode.Parse(value);

        var problems = FeatureSchema.Validate(document.ToJsonString(), "ksync");

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_MissingName_IsCaught()
    {
        var document = JsonNode.Parse(Json)!.AsObject();
        document.Remove("name");

        Assert.Contains("'name' is required", FeatureSchema.Validate(document.ToJsonString(), "ksync"));
    }

    [Fact]
    public void Options_HaveTheDocumentedTypesAndDefaults()
    {
        var options = JsonNode.Parse(Json)!["options"]!;

        Assert.Equal(("string", "latest"), ((string)options["version"]!["type"]!, (string)options["version"]!["default"]!));
        Assert.Equal(("boolean", true), ((string)options["autoStart"]!["type"]!, (bool)options["autoStart"]!["default"]!));
        Assert.Equal(("boolean", true), ((string)options["installKubectl"]!["type"]!, (bool)options["installKubectl"]!["default"]!));
        Assert.Equal(("string", "os"), ((string)options["syncthingVersion"]!["type"]!, (string)options["syncthingVersion"]!["default"]!));
        Assert.Equal(("string", string.Empty), ((string)options["pluginArchive"]!["type"]!, (string)options["pluginArchive"]!["default"]!));
        Assert.Equal(("string", ".devcontainer/ksync.yaml"), ((string)options["projectSpecs"]!["type"]!, (string)options["projectSpecs"]!["default"]!));
    }

    [Fact]
    public void FeatureJson_HasNoInstallsAfter_SoAnOfflineUpResolvesNothingOnARegistry()
    {
        // The Dev Containers CLI fetches the metadata of every installsAfter id from its registry at each build,
        // even when the project does not use that feature; a local copy of this one must build without a registry.
        Assert.Null(JsonNode.Parse(Json)!["installsAfter"]);
        Assert.Null(JsonNode.Parse(Json)!["dependsOn"]);
    }

    [Fact]
    public void InstallScript_ReadsEveryOptionFromItsVariable()
    {
        // The Features spec passes option "autoStart" as AUTOSTART: upper case, [^A-Za-z0-9_] replaced by "_".
        var script = File.ReadAllText(Path.Combine(s_folder, "install.sh"));
        foreach (var option in JsonNode.Parse(Json)!["options"]!.AsObject().Select(p => p.Key))
        {
            var variable = new string([.. option.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_')]);
            // ${X:-default}, or ${X-default} where an empty value means something (projectSpecs "" = none).
            Assert.Matches($@"\n{variable}=\$\{{{variable}:?-", script);
        }
    }

    [Fact]
    public void EntrypointAndPostStartCommand_AreTheStartScriptInstallShInstalls()
    {
        var feature = JsonNode.Parse(Json)!;
        var script = File.ReadAllText(Path.Combine(s_folder, "install.sh"));

        // The entrypoint is part of the container's start command (every start, docker restart too); postStartCommand
        // runs in the workspace folder after a Dev Containers tool started it (there the project's specs are linked).
        Assert.Equal("/usr/local/share/ksync/start-watch.sh --entrypoint", (string)feature["entrypoint"]!);
        Assert.Equal("/usr/local/share/ksync/start-watch.sh", (string)feature["postStartCommand"]!);
        Assert.Contains("SHARE_DIR=/usr/local/share/ksync", script, StringComparison.Ordinal);
        Assert.Contains("install -m 0755 \"$FEATURE_DIR/start-watch.sh\" \"$SHARE_DIR/start-watch.sh\"", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src/ksync/install.sh", "#!/bin/sh")]
    [InlineData("src/ksync/start-watch.sh", "#!/bin/sh")]
    [InlineData("test/ksync/test.sh", "#!/bin/bash")]
    [InlineData("test/ksync/offline_archive.sh", "#!/bin/bash")]
    [InlineData("test/ksync/autostart_off.sh", "#!/bin/bash")]
    [InlineData("test/ksync/without_kubectl.sh", "#!/bin/bash")]
    public void Scripts_AreExecutableWithAShebang(string relative, string shebang)
    {
        var path = Path.Combine(Repository.Root, "devcontainer-feature", relative);

        Assert.Equal(shebang, File.ReadLines(path).First());
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{relative} is not executable");
    }

    [Fact]
    public void Scenarios_EachHaveAScriptAndAnImage()
    {
        var folder = Path.Combine(Repository.Root, "devcontainer-feature", "test", "ksync");
        var scenarios = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "scenarios.json")))!.AsObject();

        Assert.NotEmpty(scenarios);
        foreach (var (name, scenario) in scenarios)
        {
            Assert.True(File.Exists(Path.Combine(folder, name + ".sh")), $"scenario {name} has no {name}.sh");
            Assert.False(string.IsNullOrEmpty((string?)scenario!["image"]), $"scenario {name} names no image");
            Assert.NotNull(scenario["features"]!["ksync"]);
        }
    }
}
