namespace KSync.Plugin.Tests.Cli;

public sealed class DeleteCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task SeedAsync(params string[] names)
    {
        _cli.MakeFolder("src");
        foreach (var name in names)
        {
            var result = await _cli.Runner.RunAsync("create", "src", $"/{name}", "--pod", "p", "--name", name);
            Assert.True(result.ExitCode == 0, result.Output);
        }
    }

    private async Task<string[]> NamesAsync() => (await _cli.Runner.RunAsync("get", "-q")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Delete_Names_RemovesOnlyThem()
    {
        await SeedAsync("a", "b", "c");

        var result = await _cli.Runner.RunAsync("delete", "a", "c");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Deleted spec a\nDeleted spec c\n", result.Stdout);
        Assert.Equal(["b"], await NamesAsync());
    }

    [Fact]
    public async Task Delete_ProjectSpec_SaysToEditTheProjectFileAndDeletesNothing()
    {
        await SeedAsync("a");
        _cli.MakeFolder("repo");
        var project = Path.Combine(_cli.Work, "repo", "ksync.yaml");
        File.WriteAllText(project, "spec:\n- name: team\n  pod: p\n  localpath: src\n  remotepath: /app\n");
        _cli.Runner.With("KSYNC_PROJECT", project);
        var before = File.ReadAllBytes(project);

        var result = await _cli.Runner.RunAsync("delete", "team");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Spec 'team' comes from the project's spec file {project}; nothing was deleted.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(project));
        Assert.Equal(["a", "team"], await NamesAsync());
    }

    [Fact]
    public async Task Delete_UnknownName_DeletesNothingAndNamesIt()
    {
        await SeedAsync("a", "b");
        var before = File.ReadAllBytes(_cli.Runner.ConfigFile);

        var result = await _cli.Runner.RunAsync("delete", "a", "ghost");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No spec named 'ghost'; nothing was deleted.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_cli.Runner.ConfigFile));
    }

    [Fact]
    public async Task Delete_All_EmptiesSpecsAndKeepsOtherKeys()
    {
        File.WriteAllText(_cli.Runner.ConfigFile, "docker-root: /var/lib/docker\nspec:\n- name: x\n  pod: p\n  localpath: /a\n  remotepath: /b\n");

        var result = await _cli.Runner.RunAsync("delete", "--all");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Deleted spec x\n", result.Stdout);
        Assert.Empty(await NamesAsync());
        Assert.Contains("docker-root: /var/lib/docker", _cli.ConfigText!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_AllWithoutConfig_SaysNothingToDelete()
    {
        var result = await _cli.Runner.RunAsync("delete", "--all");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No specs to delete.\n", result.Stdout);
        Assert.Null(_cli.ConfigText);
    }

    [Theory]
    [InlineData(new string[] { "delete" }, "No spec to delete.")]
    [InlineData(new string[] { "delete", "a", "--all" }, "Give spec names or --all, not both.")]
    [InlineData(new string[] { "delete", "--al" }, "Unrecognized option '--al'")]
    public async Task Delete_BadArguments_FailAndLeaveConfig(string[] args, string message)
    {
        await SeedAsync("a");
        var before = File.ReadAllBytes(_cli.Runner.ConfigFile);

        var result = await _cli.Runner.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_cli.Runner.ConfigFile));
    }

    [Fact]
    public async Task Delete_CorruptConfig_LeavesFileByteIdentical()
    {
        var corrupt = "spec:\n  - name: a\n   pod: [\n"u8.ToArray();
        File.WriteAllBytes(_cli.Runner.ConfigFile, corrupt);

        var result = await _cli.Runner.RunAsync("delete", "a");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{_cli.Runner.ConfigFile}:", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(corrupt, File.ReadAllBytes(_cli.Runner.ConfigFile));
    }
}
