namespace KSync.Plugin.Tests.Cli;

public sealed class CreateCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Create_RelativeLocalPath_StoresAbsoluteSpecWithRandomName()
    {
        _cli.MakeFolder("src");

        var result = await _cli.Runner.RunAsync("create", "src", "/app", "-l", "app=api", "-l", "tier in (web,api)", "-c", "main");

        Assert.Equal(0, result.ExitCode);
        var text = _cli.ConfigText!;
        Assert.Matches(@"- name: [a-z]+-[a-z]+\n", text);
        Assert.Contains($"localpath: {Path.Combine(_cli.Work, "src")}\n", text, StringComparison.Ordinal);
        Assert.Contains("remotepath: /app\n", text, StringComparison.Ordinal);
        Assert.Contains("  - app=api\n  - tier in (web,api)\n", text, StringComparison.Ordinal);
        Assert.Contains("containername: main\n", text, StringComparison.Ordinal);
        Assert.Contains("namespace: default\n", text, StringComparison.Ordinal);
        Assert.Contains("reload: true\n", text, StringComparison.Ordinal);
        Assert.Contains("Created spec ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Project_WritesToTheProjectFileWithAPathRelativeToIt()
    {
        _cli.MakeFolder("repo/src");
        _cli.MakeFolder("repo/.devcontainer");
        _cli.Runner.With("KSYNC_PROJECT", "repo/.devcontainer/ksync.yaml");

        var result = await _cli.Runner.RunAsync("create", "repo/src", "/app", "-l", "app=api", "--name", "team", "--project");

        Assert.True(result.ExitCode == 0, result.Output);
        var project = File.ReadAllText(Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml"));
        Assert.Contains("- name: team\n", project, StringComparison.Ordinal);
        Assert.Contains("localpath: ../src\n", project, StringComparison.Ordinal);
        Assert.Null(_cli.ConfigText);
        Assert.False(File.Exists(Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml.lock")), "a lock file was left in the repository");
        Assert.Contains($"It is in the project's spec file {Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml")}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ProjectThroughTheLinkInTheHome_ReplacesTheRealFileAndKeepsTheLink()
    {
        _cli.MakeFolder("repo/src");
        _cli.MakeFolder("repo/.devcontainer");
        var real = Path.Combine(_cli.Work, "repo/.devcontainer/ksync.yaml");
        var link = Path.Combine(_cli.Runner.Home, "project.yaml");
        File.CreateSymbolicLink(link, real);

        var first = await _cli.Runner.RunAsync("create", "repo/src", "/app", "-l", "app=api", "--name", "one", "--project");
        var second = await _cli.Runner.RunAsync("create", "repo/src", "/srv", "-l", "app=web", "--name", "two", "--project");

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.Output + second.Output);
        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Contains("- name: one\n", File.ReadAllText(real), StringComparison.Ordinal);
        Assert.Contains("- name: two\n", File.ReadAllText(real), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ProjectSpecNamedLikeAnOwnSpec_FailsAndWritesNothing()
    {
        _cli.MakeFolder("repo/src");
        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "repo/src", "/app", "-l", "app=api", "--name", "api")).ExitCode);
        _cli.Runner.With("KSYNC_PROJECT", "repo/ksync.yaml");

        var result = await _cli.Runner.RunAsync("create", "repo/src", "/srv", "-l", "app=api", "--name", "api", "--project", "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Your own spec 'api' has that name, so watch would leave the project's out.", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.Work, "repo/ksync.yaml")));
    }

    [Fact]
    public async Task Create_ProjectWithoutAProjectFile_FailsAndWritesNothing()
    {
        _cli.MakeFolder("src");

        var result = await _cli.Runner.RunAsync("create", "src", "/app", "-l", "app=api", "--project");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No project spec file: KSYNC_PROJECT is not set and ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("ln -s", result.Stderr, StringComparison.Ordinal);
        Assert.Null(_cli.ConfigText);
    }

    [Fact]
    public async Task Create_NamespaceFlag_IsStoredInSpec()
    {
        _cli.MakeFolder("src");

        var result = await _cli.Runner.RunAsync("create", "src", "/app", "--pod", "web-0", "-n", "dev", "--name", "web");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("namespace: dev\n", _cli.ConfigText!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_AtSignPath_IsALiteralFolderNotAResponseFile()
    {
        _cli.MakeFolder("@src");

        var result = await _cli.Runner.RunAsync("create", "@src", "/app", "--pod", "web-0", "--name", "at");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"localpath: {Path.Combine(_cli.Work, "@src")}\n", _cli.ConfigText!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ForceWithMissingFolder_CreatesItAndSaysSo()
    {
        var result = await _cli.Runner.RunAsync("create", "fresh/deep", "/app", "--pod", "web-0", "--force");

        Assert.Equal(0, result.ExitCode);
        Assert.True(Directory.Exists(Path.Combine(_cli.Work, "fresh", "deep")));
        Assert.Contains($"Created local folder {Path.Combine(_cli.Work, "fresh", "deep")}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ReloadModes_AreStored()
    {
        _cli.MakeFolder("a");

        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "a", "/x", "--pod", "p", "--name", "sig", "--reload-mode", "signal:usr1")).ExitCode);
        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "a", "/y", "--pod", "p", "--name", "off", "--reload=false")).ExitCode);
        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "a", "/z", "--pod", "p", "--name", "none", "--reload-mode", "none")).ExitCode);

        var get = await _cli.Runner.RunAsync("get", "-o", "wide");
        Assert.Matches(@"sig .* signal:USR1", get.Stdout);
        Assert.Matches(@"off .* none", get.Stdout);
        Assert.Matches(@"none .* none", get.Stdout);
    }

    [Fact]
    public async Task Create_Owner_IsStoredAndAnEditedOwnerIsAnotherSpec()
    {
        _cli.MakeFolder("a");

        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "a", "/x", "--pod", "p", "--name", "both", "--owner", "1000680000:0")).ExitCode);
        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "a", "/y", "--pod", "p", "--name", "user", "--owner", "1000")).ExitCode);
        Assert.Equal(0, (await _cli.Runner.RunAsync("create", "a", "/z", "--pod", "p", "--name", "none")).ExitCode);

        var text = _cli.ConfigText!;
        Assert.Matches("owner: '?1000680000:0'?\n", text);
        Assert.Matches("owner: '?1000'?\n", text);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "owner: "));
        var json = await _cli.Runner.RunAsync("get", "-o", "json");
        Assert.Contains("\"owner\": \"1000680000:0\"", json.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ForceWithSameName_ReplacesSpec()
    {
        _cli.MakeFolder("a");
        await _cli.Runner.RunAsync("create", "a", "/old", "--pod", "p", "--name", "web");

        var result = await _cli.Runner.RunAsync("create", "a", "/new", "--pod", "p", "--name", "web", "--force");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Replaced spec web", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("/old", _cli.ConfigText!, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(_cli.ConfigText!, "- name: "));
    }

    [Fact]
    public async Task Create_OriginalConfigFile_KeepsItsOtherKeys()
    {
        var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", "original-ksync.yaml"));
        File.WriteAllText(_cli.Runner.ConfigFile, original);
        _cli.MakeFolder("a");

        var result = await _cli.Runner.RunAsync("create", "a", "/code", "--pod", "p", "--name", "added");

        Assert.Equal(0, result.ExitCode);
        var text = _cli.ConfigText!;
        // Every line survives, except the legacy one-string selector, which is written back as a list.
        foreach (var line in original.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("spec:", StringComparison.Ordinal) && !l.Contains("selector: app=api", StringComparison.Ordinal)))
        {
            Assert.Contains(line.TrimStart('-', ' ').Replace("\"\"", "''", StringComparison.Ordinal), text, StringComparison.Ordinal);
        }

        Assert.Contains("  selector:\n  - app=api\n", text, StringComparison.Ordinal);
        Assert.Contains("- name: added", text, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string, string> InvalidInputs => new()
    {
        { ["create", "src", "/app"], "neither a pod nor a selector", "--pod NAME or -l key=value" },
        { ["create", "src", "/app", "--pod", "p", "--local-read-only", "--remote-read-only"], "--local-read-only and --remote-read-only", "at most one" },
        { ["create", "file.txt", "/app", "--pod", "p"], "is a file", "folder that holds it" },
        { ["create", "missing", "/app", "--pod", "p"], "does not exist", "mkdir -p" },
        { ["create", "src", "app", "--pod", "p"], "not an absolute path inside the container", "starting with '/'" },
        { ["create", "src", "/app/../etc", "--pod", "p"], "contains '.' or '..'", "plain absolute path" },
        { ["create", "src", "/", "--pod", "p"], "whole filesystem", "e.g. /app" },
        { ["create", "src", "C:\\app", "--pod", "p"], "not an absolute path inside the container", "POSIX" },
        { ["create", "src", "/app", "--pod", "Web_0"], "not a valid pod name", "lowercase" },
        { ["create", "src", "/app", "-l", "=app"], "Invalid label selector", "key=value" },
        { ["create", "src", "/app", "-l", "a b"], "Invalid label selector", "key=value" },
        { ["create", "src", "/app", "-l", "app in (x"], "Invalid label selector", "key=value" },
        { ["create", "src", "/app", "--pod", "p", "--name", "Bad Name"], "not a valid spec name", "lowercase" },
        { ["create", "src", "/app", "--pod", "p", "-c", "Main"], "not a valid container name", "lowercase" },
        { ["create", "src", "/app", "--pod", "p", "-n", "Dev"], "not a valid namespace", "lowercase" },
        { ["create", "src", "/app", "--pod", "p", "--reload-mode", "signal:NOPE"], "not a signal", "signal:HUP" },
        { ["create", "src", "/app", "--pod", "p", "--reload-mode", "bounce"], "not a reload mode", "signal:HUP" },
        { ["create", "src", "/app", "--pod", "p", "--owner", "node"], "'node' is not an owner", "--owner UID:GID" },
        { ["create", "src", "/app", "--pod", "p", "--owner", "1000:"], "'1000:' is not an owner", "--owner UID:GID" },
        { ["create", "src", "/app", "--pod", "p", "--owner", ":2000"], "':2000' is not an owner", "--owner UID:GID" },
        { ["create", "src", "/app", "--pod", "p", "--owner", "1000.5"], "'1000.5' is not an owner", "--owner UID:GID" },
        { ["create", "src", "/app", "--pod", "p", "--owner", "4294967295"], "'4294967295' is not an owner", "--owner UID:GID" },
        { ["create", "src", "/app", "--pod", "p", "--owner", "1:2:3"], "'1:2:3' is not an owner", "--owner UID:GID" },
        { ["create", "src", "--pod", "p"], "Required argument missing", "Usage:" },
        { ["create", "src", "/app", "/extra", "--pod", "p"], "Unrecognized command or argument '/extra'", "Usage:" },
        { ["create", "src", "/app", "--pod"], "Required argument missing for option: '--pod'", "Usage:" },
        { ["create", "src", "/app", "--bogus"], "Unrecognized command or argument '--bogus'", "Usage:" },
        { ["create", "src", "/app", "--pod", "p", "--port", "0"], "--port must be between 1 and 65535", "Usage:" },
        { ["create", "src", "/app", "--pod", "p", "--log-level", "loud"], "loud", "Usage:" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Create_InvalidInput_ExplainsFailsAndLeavesConfig(string[] args, string message, string hint)
    {
        _cli.MakeFolder("src");
        File.WriteAllText(Path.Combine(_cli.Work, "file.txt"), "x");
        await SeedAsync();
        var before = File.ReadAllBytes(_cli.Runner.ConfigFile);

        var result = await _cli.Runner.RunAsync(args);

        Assert.True(result.ExitCode == 1, result.Output);
        var all = result.Stdout + result.Stderr;
        Assert.Contains(message, all, StringComparison.Ordinal);
        Assert.Contains(hint, all, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_cli.Runner.ConfigFile));
        Assert.False(Directory.Exists(Path.Combine(_cli.Work, "missing")));
    }

    [Fact]
    public async Task Create_InvalidInput_ListsEveryProblem()
    {
        var result = await _cli.Runner.RunAsync("create", "missing", "app", "--local-read-only", "--remote-read-only");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(result.Stderr, "^Error: ", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Null(_cli.ConfigText);
    }

    [Fact]
    public async Task Create_NameTaken_FailsUnlessForced()
    {
        _cli.MakeFolder("src");
        await SeedAsync();
        var before = File.ReadAllBytes(_cli.Runner.ConfigFile);

        var result = await _cli.Runner.RunAsync("create", "src", "/other", "--pod", "p", "--name", "seed");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("A spec named 'seed' already exists.", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_cli.Runner.ConfigFile));
    }

    [Fact]
    public async Task Create_SameDetails_FailsUnlessForced()
    {
        _cli.MakeFolder("src");
        await SeedAsync();

        var refused = await _cli.Runner.RunAsync("create", "src", "/app", "--pod", "seed-0", "--name", "twin");
        var forced = await _cli.Runner.RunAsync("create", "src", "/app", "--pod", "seed-0", "--name", "twin", "--force");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Spec 'seed' already syncs the same folders", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("- name: twin", _cli.ConfigText!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_CorruptConfig_ReportsLineAndLeavesFileByteIdentical()
    {
        _cli.MakeFolder("src");
        var corrupt = "spec:\n- name: a\n  pod: x\n   selector: [\n"u8.ToArray();
        File.WriteAllBytes(_cli.Runner.ConfigFile, corrupt);

        var result = await _cli.Runner.RunAsync("create", "src", "/app", "--pod", "p");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches($@"Error: {System.Text.RegularExpressions.Regex.Escape(_cli.Runner.ConfigFile)}:\d+:\d+: ", result.Stderr);
        Assert.Contains("left it untouched", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(corrupt, File.ReadAllBytes(_cli.Runner.ConfigFile));
    }

    [Fact]
    public async Task Create_EightProcessesAtOnce_NoneLost()
    {
        _cli.MakeFolder("src");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _cli.Runner.RunAsync("create", "src", $"/app{i}", "--pod", "p", "--name", $"race-{i}")));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        var names = (await _cli.Runner.RunAsync("get", "-q")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"race-{i}").Order(), names);
    }

    private async Task SeedAsync()
    {
        var seed = await _cli.Runner.RunAsync("create", "src", "/app", "--pod", "seed-0", "--name", "seed");
        Assert.True(seed.ExitCode == 0, seed.Output);
    }
}
