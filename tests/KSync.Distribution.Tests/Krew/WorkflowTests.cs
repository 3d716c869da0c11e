using KSync.TestKit;
using YamlDotNet.RepresentationModel;

namespace KSync.Distribution.Tests.Krew;

/// <summary>
/// The GitHub workflows cannot run here; these checks keep them consistent with the repository: they parse, the release
/// builds every platform the krew manifest lists (and the musl ones the feature installs on Alpine), and the scripts and
/// folders they call exist.
/// </summary>
public sealed class WorkflowTests
{
    private static readonly string s_workflows = Path.Combine(Repository.Root, ".github", "workflows");

    [Fact]
    public void Release_BuildsEveryKrewPlatformOnANativeRunner()
    {
        var release = Load("release.yml");
        var matrix = Job(release, "plugin")["strategy"]["matrix"]["include"];
        var built = ((YamlSequenceNode)matrix).Children.Select(e => $"{e["os"]}/{e["arch"]}").Order(StringComparer.Ordinal);
        var krew = File.ReadAllLines(Path.Combine(Repository.Root, ".krew.yaml"))
            .Where(l => l.Contains("addURIAndSha", StringComparison.Ordinal))
            .Select(l => l.Split("_{{ .TagName }}_")[1].Split('.')[0].Replace('_', '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(krew, built);
        var musl = ((YamlSequenceNode)Job(release, "plugin-musl")["strategy"]["matrix"]["include"]).Children.Select(e => e["arch"].ToString());
        Assert.Equal(["amd64", "arm64"], musl);
    }

    [Fact]
    public void Release_RunsOnVersionTags_AndHasEveryStage()
    {
        var release = Load("release.yml");

        Assert.Equal("v*.*.*", ((YamlSequenceNode)release["on"]["push"]["tags"]).Children.Single().ToString());
        Assert.Equal(
            ["devcontainer-feature", "github-release", "krew", "plugin", "plugin-musl", "radar-image"],
            ((YamlMappingNode)release["jobs"]).Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains("rajatjindal/krew-release-bot@", Text("release.yml"), StringComparison.Ordinal);
        Assert.Contains("devcontainer features publish devcontainer-feature/src", Text("release.yml"), StringComparison.Ordinal);
        Assert.Contains("platforms: linux/amd64,linux/arm64", Text("release.yml"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("build-and-test.yml", ".ci/run")]
    [InlineData("build-and-test.yml", "krew/package.sh")]
    [InlineData("build-and-test.yml", "devcontainer-feature/src/ksync")]
    [InlineData("release.yml", "krew/package.sh")]
    [InlineData("release.yml", "plugin/KSync.Plugin.csproj")]
    [InlineData("release.yml", "devcontainer-feature/src")]
    public void Workflows_ReferToFilesThatExist(string workflow, string path)
    {
        Assert.Contains(path, File.ReadAllText(Path.Combine(s_workflows, workflow)), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Repository.Root, path)) || Directory.Exists(Path.Combine(Repository.Root, path)), $"{path} does not exist");
    }

    [Fact]
    public void DevContainer_UsesTheFeatureFromItsSourceFolder()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, ".devcontainer", "devcontainer.json"));

        Assert.Contains("\"initializeCommand\": \"rm -rf .devcontainer/ksync && cp -R devcontainer-feature/src/ksync .devcontainer/ksync\"", text, StringComparison.Ordinal);
        Assert.Contains("\"./ksync\": {", text, StringComparison.Ordinal);
        Assert.Contains("ghcr.io/devcontainers/features/docker-in-docker:2", text, StringComparison.Ordinal);
        Assert.Contains("\"version\": \"10.0\"", text, StringComparison.Ordinal);
    }

    private static YamlMappingNode Load(string name)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(Path.Combine(s_workflows, name));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode Job(YamlMappingNode workflow, string name) => workflow["jobs"][name];

    private static string Text(string name) => File.ReadAllText(Path.Combine(s_workflows, name));
}
