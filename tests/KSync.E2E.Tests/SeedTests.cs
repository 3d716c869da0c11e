using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// The seed of a first sync (docs/architecture.md, "The seed") through the published binaries on the lab: the local
/// tree lands in the container through radar with contents, modes, mtimes and links; the first-sync rule still removes
/// what only the container had and leaves its ignored files; syncthing takes over without conflict copies; and a second
/// first sync into a container that holds most files sends only the differing ones.
/// </summary>
[Collection(E2EGroup.Name)]
public sealed partial class SeedTests(E2EFixture fixture)
{
    private const int FileCount = 300;
    private readonly LabPods _pods = new(fixture);

    [Theory]
    [MemberData(nameof(E2EFixture.Runtimes), MemberType = typeof(E2EFixture))]
    public async Task Watch_FirstSync_SeedsTheContainer_ThenSyncthingTakesOver_SecondFirstSyncSendsOnlyWhatDiffers(NodeRuntime runtime)
    {
        fixture.Require();
        var pod = LabPods.Unique("seed");
        var script = "mkdir -p /app/sub && echo old > /app/remote-only.txt && echo keep > /app/kept.log && echo stale > /app/sub/f0001.txt; " + LabPods.IdleScript;
        await _pods.CreateAsync(pod, pod, script, runtime);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        for (var i = 0; i < FileCount; i++)
        {
            var path = Path.Combine(local, i % 2 == 0 ? "sub" : Path.Combine("sub", "deep", (i % 7).ToString(CultureInfo.InvariantCulture)), $"f{i:D4}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"file {i} " + new string('x', i * 37 % 5000));
        }

        File.WriteAllText(Path.Combine(local, "run.sh"), "#!/bin/sh\necho run\n");
        File.SetUnixFileMode(Path.Combine(local, "run.sh"), (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(Path.Combine(local, "link"), "sub/f0000.txt");
        File.WriteAllText(Path.Combine(local, "local.log"), "ignored locally");
        File.WriteAllText(Path.Combine(local, ".stignore"), "*.log\n");

        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "seed", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("seed");

        var seeded = SeededLine().Match(session.Output);
        Assert.True(seeded.Success, $"no seed in watch's log:\n{session.Output}");
        Assert.Equal(FileCount + 1, int.Parse(seeded.Groups["files"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Listing(local), await ContainerListingAsync(pod));
        Assert.Equal("keep\n", await _pods.ReadAsync(pod, "/app/kept.log"));
        Assert.Null(await _pods.ReadAsync(pod, "/app/local.log"));

        // Nothing disappears silently: the two container-only files the first sync removed are counted and logged.
        Assert.Equal(2, (await session.ServicesAsync("seed")).Single().GetProperty("firstSyncRemoved").GetInt32());
        await Eventually.TrueAsync(() => Task.FromResult(RemovedLine().Count(session.Output) >= 2), TimeSpan.FromSeconds(10), "watch to log both removals");
        Assert.Equal(["remote-only.txt", "sub/f0001.txt"], RemovedLine().Matches(session.Output).Select(m => m.Groups["path"].Value).Order(StringComparer.Ordinal));

        // syncthing took over: both directions sync, and nothing became a conflict.
        File.WriteAllText(Path.Combine(local, "sub", "f0002.txt"), "edited locally");
        await _pods.WriteAsync(pod, "/app/sub/f0004.txt", "edited in the container");
        await _pods.WaitFileAsync(pod, "/app/sub/f0002.txt", "edited locally", "the local edit in the container");
        await Eventually.TrueAsync(
            () => Task.FromResult(File.ReadAllText(Path.Combine(local, "sub", "f0004.txt")) == "edited in the container"),
            TimeSpan.FromSeconds(45),
            "the container's edit to come back");
        Assert.Empty(Directory.GetFiles(local, "*.sync-conflict-*", SearchOption.AllDirectories));
        var conflicts = await _pods.ExecAsync(pod, "find", "/app", "-name", "*.sync-conflict-*");
        Assert.Equal(string.Empty, conflicts.EnsureSuccess().Stdout);

        // A new first sync (another spec) into the container that holds everything: only the three changed files go.
        await session.RunOkAsync("delete", "seed");

        // Changed only once watch removed the old folder, which would otherwise send them first.
        await Eventually.TrueAsync(
            () => Task.FromResult(session.Output.Contains("Removing folder ksync-seed-", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "watch to remove the deleted spec's folder");
        foreach (var i in new[] { 10, 11, 12 })
        {
            var path = Directory.GetFiles(local, $"f{i:D4}.txt", SearchOption.AllDirectories).Single();
            File.WriteAllText(path, $"changed {i}");
        }

        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "seed2", "--reload-mode", "none");
        await session.WaitWatchingAsync("seed2");
        var second = SeededLine().Matches(session.Output).Last();
        Assert.NotEqual(seeded.Index, second.Index);
        Assert.Equal("3", second.Groups["sent"].Value);
        Assert.Equal(Listing(local), await ContainerListingAsync(pod));
        session.EnsureRunning();
    }

    [Fact]
    public async Task Watch_SeedThatWroteNothing_GivesNoReload_OneThatWroteGivesOne()
    {
        fixture.Require();
        var pod = LabPods.Unique("seednr");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        for (var i = 0; i < 50; i++)
        {
            File.WriteAllText(Path.Combine(local, $"f{i:D3}.txt"), $"file {i}");
        }

        // Positive control: a seed that wrote the files is one reload (a docker restart counts in restartCount).
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "wrote", "--reload-mode", "restart");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("wrote");
        await Eventually.TrueAsync(async () => await _pods.RestartCountAsync(pod) == 1, TimeSpan.FromSeconds(30), "the reload after a seed that wrote files");
        await session.WaitWatchingAsync("wrote");
        await session.RunOkAsync("delete", "wrote");
        await Eventually.TrueAsync(
            () => Task.FromResult(session.Output.Contains("Removing folder ksync-wrote-", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "watch to remove the deleted spec's folder");

        // A new first sync into the container that already holds exactly the local files: the seed sends nothing.
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "same", "--reload-mode", "restart");
        await session.WaitWatchingAsync("same");
        Assert.Equal("0", SeededLine().Matches(session.Output).Last().Groups["sent"].Value);

        // Longer than the reload debounce (0.5 s) and a restart's round trip.
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(1, await _pods.RestartCountAsync(pod));
        Assert.DoesNotContain("Spec same: reloaded pod", session.Output, StringComparison.Ordinal);
        session.EnsureRunning();
    }

    [Fact]
    public async Task Watch_NodeAgentKilledMidSeed_NoHalfWrittenFile_FirstSyncCompletesAfter()
    {
        fixture.Require();
        const int count = 20000;
        var pod = LabPods.Unique("seedkill");
        await _pods.CreateAsync(pod, pod);
        var node = await _pods.NodeAsync(pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(local, $"d{i % 50:D2}", $"f{i:D5}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"file {i} " + new string((char)('a' + (i % 26)), 2000 + (i % 3000)));
        }

        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "seedkill", "--reload-mode", "none");
        await session.StartWatchAsync();
        JsonElement seed = default;
        await Eventually.TrueAsync(
            async () =>
            {
                var service = (await session.ServicesAsync("seedkill")).SingleOrDefault();
                seed = service.ValueKind == JsonValueKind.Object && service.TryGetProperty("seed", out var s) ? s : default;
                return seed.ValueKind == JsonValueKind.Object && seed.GetProperty("filesDone").GetInt32() < seed.GetProperty("filesTotal").GetInt32();
            },
            TimeSpan.FromSeconds(60),
            "get to show the seed running",
            TimeSpan.FromMilliseconds(50));
        Assert.Equal(count, seed.GetProperty("filesTotal").GetInt32());

        await fixture.Lab.KillAgentAsync(node, TestContext.Current.CancellationToken);

        // What the killed stream left: every file in place is whole (it landed by rename), or still a temporary file.
        var written = await ContainerHashesAsync(pod);
        Assert.All(written, row => Assert.Equal(LocalHash(local, row.Key), row.Value));

        await session.WaitWatchingAsync("seedkill");
        var temps = await _pods.ExecAsync(pod, "find", "/app", "-name", ".syncthing.*.tmp");
        Assert.Equal(string.Empty, temps.EnsureSuccess().Stdout);
        var all = await ContainerHashesAsync(pod);

        // The local folder's files (the generated ones plus what ksync keeps there, e.g. .stignore) and no other.
        var localFiles = Directory.GetFiles(local, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(local, f)).Order(StringComparer.Ordinal).ToList();
        Assert.True(localFiles.Count >= count, $"{localFiles.Count} local files");
        Assert.Equal(localFiles, all.Keys.Order(StringComparer.Ordinal).ToList());
        Assert.All(all, row => Assert.Equal(LocalHash(local, row.Key), row.Value));
        Assert.Empty(Directory.GetFiles(local, "*.sync-conflict-*", SearchOption.AllDirectories));
        session.EnsureRunning();
    }

    [GeneratedRegex(@"the first sync removed (?<path>\S+) from the container")]
    private static partial Regex RemovedLine();

    [GeneratedRegex(@"seeded the container with (?<files>\d+) files \(\d+ bytes\); (?<sent>\d+) of (?<entries>\d+) local entries differed")]
    private static partial Regex SeededLine();

    private static string LocalHash(string root, string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, path))));

    /// <summary>Every synced local entry: path, kind, mode, size and mtime seconds of files, link targets, content hashes.</summary>
    private static List<string> Listing(string root)
    {
        var rows = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path);
            if (relative.EndsWith(".log", StringComparison.Ordinal) || relative == ".stignore")
            {
                continue;
            }

            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                rows.Add($"{relative} link {target}");
            }
            else if (Directory.Exists(path))
            {
                rows.Add($"{relative} dir {Convert.ToString((int)File.GetUnixFileMode(path), 8)}");
            }
            else
            {
                var seconds = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
                var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
                rows.Add($"{relative} file {Convert.ToString((int)File.GetUnixFileMode(path), 8)} {info.Length} {seconds} {hash}");
            }
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The same listing of /app, read in the container with busybox: a few processes for the whole tree (stat and
    /// sha256sum take every file at once through xargs), not several per file, which took over 30 s for 300 files on a
    /// busy machine. The test's names hold no spaces.
    /// </summary>
    private async Task<List<string>> ContainerListingAsync(string pod)
    {
        const string script = """
            cd /app && entries() { find . ! -name . ! -name '*.log' ! -name .stignore "$@"; }
            entries -type l | while read -r p; do echo "L $p $(readlink "$p")"; done
            entries -type d | xargs -r stat -c 'D %n %a'
            entries -type f | xargs -r stat -c 'F %n %a %s %Y'
            entries -type f | xargs -r sha256sum | while read -r h p; do echo "H $p $h"; done
            """;
        var result = (await _pods.ExecAsync(pod, "sh", "-c", script)).EnsureSuccess();
        var rows = new List<string>();
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<(string Path, string Stat)>();
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            var path = parts[1][2..];
            switch (parts[0])
            {
                case "L": rows.Add($"{path} link {parts[2]}"); break;
                case "D": rows.Add($"{path} dir {parts[2]}"); break;
                case "F": files.Add((path, parts[2])); break;
                case "H": hashes[path] = parts[2]; break;
            }
        }

        rows.AddRange(files.Select(f => $"{f.Path} file {f.Stat} {hashes.GetValueOrDefault(f.Path, "unread")}"));
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    /// <summary>Content hashes of the regular files in the container's /app but syncthing's temporary ones, by path (sha256sum in batches: fast for many files).</summary>
    private async Task<Dictionary<string, string>> ContainerHashesAsync(string pod)
    {
        var result = (await _pods.ExecAsync(pod, "sh", "-c", "cd /app && find . -type f ! -name '.syncthing.*.tmp' -exec sha256sum {} +")).EnsureSuccess();

        // Rows "HASH  ./PATH".
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(r => r[(r.IndexOf("  ./", StringComparison.Ordinal) + 4)..], r => r[..r.IndexOf(' ', StringComparison.Ordinal)], StringComparer.Ordinal);
    }
}
