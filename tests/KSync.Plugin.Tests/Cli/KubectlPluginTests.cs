namespace KSync.Plugin.Tests.Cli;

public sealed class KubectlPluginTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task PluginList_FindsKubectlKsyncOnPath()
    {
        var result = await _cli.Runner.RunKubectlAsync("plugin", "list", "--name-only");

        Assert.Contains("kubectl-ksync", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlKsyncVersion_RunsThePlugin()
    {
        var result = await _cli.Runner.RunThroughKubectlAsync("version");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"Client version: \d+\.\d+\.\d+", result.Stdout);
        Assert.Matches(@"Git commit: +[0-9a-f]{7,}", result.Stdout);
    }

    [Fact]
    public async Task KubectlKsyncCreateAndGet_WorkThroughKubectl()
    {
        _cli.MakeFolder("src");

        var create = await _cli.Runner.RunThroughKubectlAsync("create", "src", "/app", "-l", "app=api", "--name", "via-kubectl");
        var get = await _cli.Runner.RunThroughKubectlAsync("get", "-q");

        Assert.True(create.ExitCode == 0, create.Output);
        Assert.Equal("via-kubectl\n", get.Stdout);
    }

    [Fact]
    public async Task KubectlKsyncHelp_ShowsKubectlUsage()
    {
        var result = await _cli.Runner.RunThroughKubectlAsync("create", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("kubectl ksync create <local> <remote> [options]", result.Stdout, StringComparison.Ordinal);
    }
}
