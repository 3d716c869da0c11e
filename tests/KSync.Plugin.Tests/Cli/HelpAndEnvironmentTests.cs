using Snapshooter;
using Snapshooter.Xunit3;

namespace KSync.Plugin.Tests.Cli;

public sealed class HelpAndEnvironmentTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("root", new string[] { "--help" })]
    [InlineData("create", new string[] { "create", "--help" })]
    [InlineData("delete", new string[] { "delete", "-h" })]
    [InlineData("get", new string[] { "get", "--help" })]
    public async Task Help_SaysKubectlKsync_AndMatchesSnapshot(string name, string[] args)
    {
        var result = await _cli.Runner.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("kubectl ksync", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("kubectl-ksync ", result.Stdout, StringComparison.Ordinal);
        Snapshot.Match(result.Stdout, SnapshotNameExtension.Create(name));
    }

    [Fact]
    public async Task UnknownCommand_FailsWithUsage()
    {
        var result = await _cli.Runner.RunAsync("frobnicate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unrecognized command or argument 'frobnicate'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("kubectl ksync [command] [options]", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KsyncNamespaceVariable_SetsSpecNamespace()
    {
        _cli.MakeFolder("src");
        _cli.Runner.With("KSYNC_NAMESPACE", "from-env");

        var viaEnv = await _cli.Runner.RunAsync("create", "src", "/a", "--pod", "p", "--name", "env");
        var flagWins = await _cli.Runner.RunAsync("create", "src", "/b", "--pod", "p", "--name", "flag", "-n", "from-flag");

        Assert.Equal(0, viaEnv.ExitCode);
        Assert.Equal(0, flagWins.ExitCode);
        Assert.Contains("namespace: from-env\n", _cli.ConfigText!, StringComparison.Ordinal);
        Assert.Contains("namespace: from-flag\n", _cli.ConfigText!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KSYNC_LOG_LEVEL", "loud", "KSYNC_LOG_LEVEL has the invalid value 'loud'")]
    [InlineData("KSYNC_PORT", "http", "KSYNC_PORT has the invalid value 'http'")]
    [InlineData("KSYNC_PORT", "99999", "KSYNC_PORT has the invalid value '99999'")]
    public async Task InvalidKsyncVariable_FailsNamingIt(string variable, string value, string message)
    {
        _cli.MakeFolder("src");
        _cli.Runner.With(variable, value);

        var result = await _cli.Runner.RunAsync("create", "src", "/a", "--pod", "p");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Null(_cli.ConfigText);
    }

    [Fact]
    public async Task KsyncHome_RelocatesConfig()
    {
        _cli.MakeFolder("src");
        var elsewhere = Path.Combine(_cli.Work, "other-home");
        _cli.Runner.With("KSYNC_HOME", elsewhere);

        var result = await _cli.Runner.RunAsync("create", "src", "/a", "--pod", "p", "--name", "moved");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("- name: moved", File.ReadAllText(Path.Combine(elsewhere, "ksync.yaml")), StringComparison.Ordinal);
        Assert.Null(_cli.ConfigText);
        Assert.False(Directory.Exists(Path.Combine(_cli.Runner.Home, "user-home", ".ksync")));
    }

    [Fact]
    public async Task KsyncPortVariable_IsTheStatusPortGetDials()
    {
        var list = new KSync.Proto.Ksync.V1.SpecList();
        list.Items.Add(new KSync.Proto.Ksync.V1.Spec { Details = new() { Name = "from-server" }, Status = KSync.Proto.Ksync.V1.SpecStatus.Waiting });
        await using var server = await FakeStatusServer.StartAsync(list);
        _cli.Runner.With("KSYNC_PORT", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = await _cli.Runner.RunAsync("get", "-q");

        Assert.Equal("from-server\n", result.Stdout);
    }
}
