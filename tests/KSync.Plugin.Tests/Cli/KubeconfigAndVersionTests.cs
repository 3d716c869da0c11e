using System.Diagnostics;

namespace KSync.Plugin.Tests.Cli;

public sealed class KubeconfigAndVersionTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private string WriteKubeconfig(string server = "https://127.0.0.1:1")
    {
        var path = Path.Combine(_cli.Work, "kubeconfig");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            current-context: team
            clusters:
            - name: c
              cluster:
                server: {{server}}
                insecure-skip-tls-verify: true
            users:
            - name: u
              user:
                token: t
            contexts:
            - name: team
              context: { cluster: c, user: u, namespace: team-a }
            - name: other
              context: { cluster: c, user: u, namespace: team-b }
            - name: bare
              context: { cluster: c, user: u }
            """);
        return path;
    }

    [Theory]
    [InlineData(new string[0], "team-a")]
    [InlineData(new[] { "--context", "other" }, "team-b")]
    [InlineData(new[] { "--context", "bare" }, "default")]
    [InlineData(new[] { "--context", "other", "-n", "flag" }, "flag")]
    public async Task Create_WithoutNamespaceFlag_UsesContextNamespace(string[] extra, string expected)
    {
        _cli.MakeFolder("src");
        _cli.Runner.With("KUBECONFIG", WriteKubeconfig());

        var result = await _cli.Runner.RunAsync(["create", "src", "/app", "--pod", "p", "--name", "s", .. extra]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"namespace: {expected}\n", _cli.ConfigText!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownContext_FailsAndWritesNothing()
    {
        _cli.MakeFolder("src");

        var result = await _cli.Runner.RunAsync("create", "src", "/app", "--pod", "p", "--kubeconfig", WriteKubeconfig(), "--context", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The context 'nope' does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("team, other, bare", result.Stderr, StringComparison.Ordinal);
        Assert.Null(_cli.ConfigText);
    }

    [Fact]
    public async Task Create_ContextFromConfigFile_IsUsedWhenNoFlag()
    {
        _cli.MakeFolder("src");
        File.WriteAllText(_cli.Runner.ConfigFile, "context: other\nspec: []\n");

        var result = await _cli.Runner.RunAsync("create", "src", "/app", "--pod", "p", "--name", "s", "--kubeconfig", WriteKubeconfig());

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("namespace: team-b\n", _cli.ConfigText!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_NoCluster_SaysUnknownAndSucceeds()
    {
        var result = await _cli.Runner.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"Build date: +\d{4}-\d\d-\d\dT", result.Stdout);
        Assert.Contains("Radar:          unknown (No kubeconfig found", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_SyncthingOnPath_ShowsItsVersion_ElseNotFound()
    {
        KSync.TestKit.Requires.Tool("syncthing", "syncthing");

        var found = await _cli.Runner.RunAsync("version");
        _cli.Runner.With("KSYNC_SYNCTHING", Path.Combine(_cli.Work, "missing-syncthing"));
        var missing = await _cli.Runner.RunAsync("version");

        Assert.Matches(@"Syncthing: +v\d+\.\d+\.\d+\S* \(/", found.Stdout);
        Assert.Contains("Syncthing:      not found", missing.Stdout, StringComparison.Ordinal);
    }

    // A stand-in syncthing that appends a line to a file each time it runs, and prints the given version.
    private string FakeSyncthing(string name, string version)
    {
        var path = Path.Combine(_cli.Work, name);
        File.WriteAllText(path, $"#!/bin/sh\necho run >> {Path.Combine(_cli.Work, "calls")}\necho 'syncthing {version} \"Fake\" (go1.22 linux-amd64) test@test 2026-01-01 00:00:00 UTC'\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private int Calls => File.Exists(Path.Combine(_cli.Work, "calls")) ? File.ReadAllLines(Path.Combine(_cli.Work, "calls")).Length : 0;

    [Fact]
    public async Task Version_SyncthingVersionCached_DoesNotRunSyncthingAgain()
    {
        _cli.Runner.With("KSYNC_SYNCTHING", FakeSyncthing("syncthing", "v1.27.0"));

        var first = await _cli.Runner.RunAsync("version");
        var second = await _cli.Runner.RunAsync("version");

        Assert.Contains($"Syncthing:      v1.27.0 ({Path.Combine(_cli.Work, "syncthing")})", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($"Syncthing:      v1.27.0 ({Path.Combine(_cli.Work, "syncthing")})", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Calls);
        Assert.True(File.Exists(Path.Combine(_cli.Runner.Home, "syncthing-version")));
    }

    [Fact]
    public async Task Version_SyncthingBinaryChanged_ReadsItsVersionAgain()
    {
        var binary = FakeSyncthing("syncthing", "v1.27.0");
        _cli.Runner.With("KSYNC_SYNCTHING", binary);
        var mtime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(binary, mtime);
        await _cli.Runner.RunAsync("version");

        // Replaced by a package manager: a new file of the same size and mtime renamed into place (a new inode).
        var replacement = FakeSyncthing("syncthing.new", "v1.28.0");
        File.SetLastWriteTimeUtc(replacement, mtime);
        File.Move(replacement, binary, overwrite: true);
        var replaced = await _cli.Runner.RunAsync("version");

        // Rewritten in place with the same size, mtime put back (only the ctime tells).
        File.WriteAllText(binary, File.ReadAllText(binary).Replace("v1.28.0", "v1.29.0", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(binary, mtime);
        var rewritten = await _cli.Runner.RunAsync("version");

        // Another binary named instead.
        _cli.Runner.With("KSYNC_SYNCTHING", FakeSyncthing("other-syncthing", "v1.30.0"));
        var other = await _cli.Runner.RunAsync("version");

        Assert.Contains("Syncthing:      v1.28.0", replaced.Stdout, StringComparison.Ordinal);
        Assert.Contains("Syncthing:      v1.29.0", rewritten.Stdout, StringComparison.Ordinal);
        Assert.Contains("Syncthing:      v1.30.0", other.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, Calls);
    }

    [Fact]
    public async Task Version_CacheFileNotUnderstood_RunsSyncthingAndReplacesIt()
    {
        _cli.Runner.With("KSYNC_SYNCTHING", FakeSyncthing("syncthing", "v1.27.0"));
        File.WriteAllText(Path.Combine(_cli.Runner.Home, "syncthing-version"), "garbage\tv9.9.9\n");

        var result = await _cli.Runner.RunAsync("version");
        var again = await _cli.Runner.RunAsync("version");

        Assert.Contains("Syncthing:      v1.27.0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Syncthing:      v1.27.0", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Calls);
    }

    [Fact]
    public async Task Version_UnreachableCluster_AnswersWithinAFewSeconds()
    {
        _cli.Runner.With("KUBECONFIG", WriteKubeconfig("https://10.255.255.1:6443"));
        var watch = Stopwatch.StartNew();

        var result = await _cli.Runner.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Radar:          unknown", result.Stdout, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"version took {watch.Elapsed}");
    }

    [Fact]
    public async Task Doctor_NoSyncthing_FailsFirstRowWithInitLocalHint()
    {
        _cli.Runner.With("KSYNC_SYNCTHING", Path.Combine(_cli.Work, "missing-syncthing"));

        var result = await _cli.Runner.RunAsync("doctor");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Local syncthing", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("missing-syncthing", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
