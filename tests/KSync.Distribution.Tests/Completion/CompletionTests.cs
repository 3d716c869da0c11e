using KSync.Distribution.Tests.Infrastructure;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Completion;

/// <summary>
/// `kubectl ksync &lt;TAB&gt;`: kubectl_complete-ksync called as kubectl (≥ 1.26) calls it — the words after
/// `kubectl ksync`, the last one being completed and empty for a new word — and through kubectl's own `__complete`.
/// Output: one candidate per line (value TAB description), then `:&lt;directive&gt;` (4 = no file names, 16 = folders,
/// 0 = file names).
/// </summary>
public sealed class CompletionTests(CompletionFixture fixture) : IClassFixture<CompletionFixture>
{
    [Fact]
    public async Task Complete_EmptyWord_ListsCommandsButNotHiddenOnes()
    {
        var result = await CompleteAsync([""]);

        Assert.Equal(["init", "create", "delete", "watch", "get", "reload", "wait", "doctor", "clean", "version"], Values(result));
        Assert.Contains("delete\tDelete specs from the config", result, StringComparison.Ordinal);
        Assert.EndsWith("\n:4\n", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_Prefix_FiltersCommands()
        => Assert.Equal(["delete"], Values(await CompleteAsync(["de"])));

    [Theory]
    [InlineData("delete")]
    [InlineData("get")]
    [InlineData("reload")]
    [InlineData("wait")]
    [InlineData("d")]
    public async Task Complete_SpecNameCommands_ListSpecNames(string command)
    {
        var result = await CompleteAsync([command, ""]);

        Assert.Equal(["api-sync", "web-sync"], Values(result));
        Assert.EndsWith(":4\n", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_SpecNamesAlreadyGiven_AreNotOfferedAgain()
        => Assert.Equal(["web-sync"], Values(await CompleteAsync(["delete", "api-sync", ""])));

    [Fact]
    public async Task Complete_SpecNamePrefix_Filters()
        => Assert.Equal(["web-sync"], Values(await CompleteAsync(["get", "-n", "x", "we"])));

    [Fact]
    public async Task Complete_Dash_ListsTheCommandsAndGlobalFlags()
    {
        var values = Values(await CompleteAsync(["delete", "-"]));

        Assert.Contains("--all", values);
        Assert.Contains("--namespace", values);
        Assert.Contains("-n", values);
        Assert.Contains("--kubeconfig", values);
        Assert.Contains("--context", values);
        Assert.DoesNotContain("-?", values);
        Assert.DoesNotContain("/?", values);
        Assert.DoesNotContain("--reload", values);
    }

    [Fact]
    public async Task Complete_FlagPrefix_Filters()
        => Assert.Equal(["--reload", "--reload-mode", "--remote-read-only"], Values(await CompleteAsync(["create", "--re"])).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Complete_LogLevelValue_ListsTheLevels()
    {
        Assert.Equal(["debug", "error", "info", "warn"], Values(await CompleteAsync(["get", "--log-level", ""])));
        Assert.Equal(["--log-level=debug"], Values(await CompleteAsync(["get", "--log-level=d"])));
    }

    [Fact]
    public async Task Complete_CreateLocal_AsksTheShellForFolders()
        => Assert.Equal(":16\n", await CompleteAsync(["create", ""]));

    [Fact]
    public async Task Complete_KubeconfigValue_AsksTheShellForFiles()
        => Assert.Equal(":0\n", await CompleteAsync(["--kubeconfig", ""]));

    [Fact]
    public async Task Complete_Context_ListsKubeconfigContexts()
    {
        var kubeconfig = fixture.WriteKubeconfig("http://127.0.0.1:1");

        Assert.Equal(["lab", "other"], Values(await CompleteAsync(["get", "--context", ""], kubeconfig)));
        Assert.Equal(["other"], Values(await CompleteAsync(["--kubeconfig", kubeconfig, "get", "--context", "o"])));
    }

    [Fact]
    public async Task Complete_Namespace_ListsTheClustersNamespaces()
    {
        var kubeconfig = fixture.WriteKubeconfig(fixture.Api.BaseUrl);

        Assert.Equal(["default", "kube-system", "team-a", "team-b"], Values(await CompleteAsync(["get", "-n", ""], kubeconfig)));
        Assert.Equal(["--namespace=team-a", "--namespace=team-b"], Values(await CompleteAsync(["get", "--namespace=team"], kubeconfig)));
    }

    [Fact]
    public async Task Complete_Pod_ListsPodsOfTheNamespaceInEffect()
    {
        var kubeconfig = fixture.WriteKubeconfig(fixture.Api.BaseUrl);

        // The context's namespace (team-a), then -n given earlier on the line, then the other context's default.
        Assert.Equal(["api-7d9f", "web-5c2a"], Values(await CompleteAsync(["create", "--pod", ""], kubeconfig)));
        Assert.Equal(["db-0"], Values(await CompleteAsync(["-n", "default", "create", "-p", ""], kubeconfig)));
        Assert.Equal(["db-0"], Values(await CompleteAsync(["--context", "other", "create", "--pod", "d"], kubeconfig)));
    }

    [Fact]
    public async Task Complete_ClusterDoesNotAnswer_OffersNothingAndSucceeds()
    {
        var kubeconfig = fixture.WriteKubeconfig($"http://127.0.0.1:{FreePort.Next()}");

        var result = await RunScriptAsync(["get", "-n", ""], kubeconfig);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(":4\n", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Complete_BrokenConfigFile_OffersNoSpecNamesAndSucceeds()
    {
        using var home = new TempDirectory("ksync-completion-broken");
        File.WriteAllText(home.Combine("ksync.yaml"), "spec: [unclosed\n");
        var env = fixture.Environment();
        env["KSYNC_HOME"] = home.Path;

        var result = await Shell.RunAsync(Path.Combine(fixture.Bin, "kubectl_complete-ksync"), ["delete", ""], env);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(":4\n", result.Stdout);
    }

    [Fact]
    public async Task Complete_ThroughKubectl_ReachesThePluginsCompletion()
    {
        var kubectl = Requires.Tool("kubectl", "kubectl");

        var result = await Shell.RunAsync(kubectl, ["__complete", "ksync", "delete", ""], fixture.Environment());

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("api-sync\tspec\nweb-sync\tspec\n:4\n", result.Stdout);
    }

    [Fact]
    public async Task Complete_WordsThatLookLikeResponseFilesOrOptions_ArePassedVerbatim()
    {
        var result = await CompleteAsync(["get", "--", "-x", "@file", ""]);

        Assert.Equal(["api-sync", "web-sync"], Values(result));
    }

    private static string[] Values(string output)
        => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith(':')).Select(l => l.Split('\t')[0])];

    private async Task<string> CompleteAsync(string[] words, string? kubeconfig = null)
    {
        var result = await RunScriptAsync(words, kubeconfig);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Stdout;
    }

    private Task<ProcessResult> RunScriptAsync(string[] words, string? kubeconfig)
        => Shell.RunAsync(Path.Combine(fixture.Bin, "kubectl_complete-ksync"), words, fixture.Environment(kubeconfig));
}
