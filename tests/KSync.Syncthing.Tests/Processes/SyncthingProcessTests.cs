using System.Diagnostics;
using System.Net;
using KSync.Syncthing.Client;
using KSync.Syncthing.Processes;
using KSync.Syncthing.Tests.Fixtures;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Processes;

/// <summary>The managed local syncthing on real syncthing: safe config, stable identity, PID file, restarts, stop.</summary>
public sealed class SyncthingProcessTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_FreshHome_LoopbackOnlyAndNothingPublic()
    {
        await using var node = await SyncthingNode.StartAsync("a", Token);
        var options = await node.Client.GetOptionsAsync(Token);

        Assert.Equal([node.Process.ListenAddress], options.ListenAddresses);
        Assert.StartsWith("tcp://127.0.0.1:", node.Process.ListenAddress, StringComparison.Ordinal);
        Assert.NotEqual(22000, node.Process.ListenPort);
        Assert.False(options.GlobalAnnounceEnabled);
        Assert.False(options.LocalAnnounceEnabled);
        Assert.False(options.RelaysEnabled);
        Assert.False(options.NatEnabled);
        Assert.Equal(-1, options.UrAccepted);
        Assert.False(options.CrashReportingEnabled);
        Assert.Equal(0, options.AutoUpgradeIntervalH);

        // The config was safe before the first start (no :22000 / discovery window before the first options land).
        var config = await File.ReadAllTextAsync(Path.Combine(node.Options.SyncthingHomeDirectory, "config.xml"), Token);
        Assert.DoesNotContain("<listenAddress>default</listenAddress>", config, StringComparison.Ordinal);

        // The API key is random, 0600, and the key syncthing generated no longer works (flags apply to one run only).
        var keyFile = Path.Combine(node.Options.SyncthingHomeDirectory, "ksync-apikey");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.True(node.Process.ApiKey.Length >= 40);
        Assert.DoesNotContain(node.Process.ApiKey, string.Join(' ', Environment.GetCommandLineArgs()), StringComparison.Ordinal);

        // One process only (no monitor child), and the API key is not on its command line.
        var pid = node.Process.Pid!.Value;
        Assert.Empty(ChildrenOf(pid));
        var cmdline = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", Token);
        Assert.DoesNotContain(node.Process.ApiKey, cmdline, StringComparison.Ordinal);
        Assert.Contains(node.Process.Binary.Path, cmdline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_SameHome_SameDeviceIdAndKey()
    {
        using var root = new TempDirectory("ksync-st");
        var binary = await SyncthingNode.ResolveBinaryAsync(Token);
        var options = new SyncthingProcessOptions { Root = root.Path };
        string id;
        string key;
        await using (var first = new SyncthingProcess(binary, options))
        {
            await first.StartAsync(Token);
            (id, key) = (first.DeviceId, first.ApiKey);
        }

        await using var second = new SyncthingProcess(binary, options);
        await second.StartAsync(Token);
        Assert.Equal(id, second.DeviceId);
        Assert.Equal(key, second.ApiKey);
    }

    [Fact]
    public async Task Start_HomeInUse_ClearErrorNamingPid()
    {
        await using var node = await SyncthingNode.StartAsync("a", Token);
        await using var second = new SyncthingProcess(node.Process.Binary, new SyncthingProcessOptions { Root = node.Options.Root });

        var error = await Assert.ThrowsAsync<SyncthingException>(() => second.StartAsync(Token));

        Assert.Contains($"PID {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
        Assert.Equal(node.Process.DeviceId, (await node.Client.GetSystemStatusAsync(Token)).MyId);
    }

    [Fact]
    public async Task Start_StalePidFile_IsCleanedUp()
    {
        using var root = new TempDirectory("ksync-st");
        var options = new SyncthingProcessOptions { Root = root.Path };
        var gone = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo $$"], cancellationToken: Token);
        await File.WriteAllTextAsync(options.PidFilePath, gone.Stdout.Trim() + " 0\n", Token);

        await using var process = new SyncthingProcess(await SyncthingNode.ResolveBinaryAsync(Token), options);
        await process.StartAsync(Token);

        Assert.StartsWith($"{Environment.ProcessId} ", (await File.ReadAllLinesAsync(options.PidFilePath, Token))[0], StringComparison.Ordinal);
        await process.StopAsync(Token);
        Assert.False(File.Exists(options.PidFilePath));
    }

    [Fact]
    public async Task Killed_IsRestartedAndRaisesRestarted()
    {
        await using var node = await SyncthingNode.StartAsync("a", Token);
        var restarted = new TaskCompletionSource<SyncthingRestartedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Process.Restarted += (_, e) => restarted.TrySetResult(e);
        var firstPid = node.Process.Pid!.Value;

        Kill(firstPid);

        var args = await restarted.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(1, args.RestartCount);
        Assert.NotEqual(firstPid, node.Process.Pid);
        await node.Client.PingAsync(Token);
        Assert.Equal(node.Process.DeviceId, (await node.Client.GetSystemStatusAsync(Token)).MyId);
    }

    [Fact]
    public async Task Stop_ProcessGone_PidFileRemoved()
    {
        var node = await SyncthingNode.StartAsync("a", Token);
        var pid = node.Process.Pid!.Value;
        var pidFile = Path.Combine(node.Options.Root, "syncthing.pid");
        Assert.True(File.Exists(pidFile));

        await node.Process.StopAsync(Token);

        Assert.False(IsRunning(pid));
        Assert.False(File.Exists(pidFile));
        Assert.Contains("syncthing", await File.ReadAllTextAsync(node.Options.LogFilePath, Token), StringComparison.OrdinalIgnoreCase);
        await node.DisposeAsync();
    }

    [Fact]
    public async Task Start_SyncthingFailsToStart_ErrorHoldsLogTail()
    {
        using var root = new TempDirectory("ksync-st");
        var home = new SyncthingProcessOptions { Root = root.Path };
        var binary = await SyncthingNode.ResolveBinaryAsync(Token);

        // A config syncthing cannot load: it exits at once with a message naming the problem.
        Directory.CreateDirectory(home.SyncthingHomeDirectory);
        await using (var first = new SyncthingProcess(binary, new SyncthingProcessOptions { Root = home.Root }))
        {
            await first.StartAsync(Token);
        }

        var config = Path.Combine(home.SyncthingHomeDirectory, "config.xml");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config, Token)).Replace("<configuration version=\"", "<configuration version=\"999", StringComparison.Ordinal), Token);
        await using var process = new SyncthingProcess(binary, new SyncthingProcessOptions { Root = home.Root, StartTimeout = TimeSpan.FromSeconds(20) });

        var error = await Assert.ThrowsAsync<SyncthingException>(() => process.StartAsync(Token));

        Assert.Contains("Last lines of", error.Message, StringComparison.Ordinal);
        Assert.Contains("config", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(home.Root, "syncthing.pid")));
    }

    [Fact]
    public async Task SyncthingWarning_SurfacedInPluginLog()
    {
        using var root = new TempDirectory("ksync-st");
        var logger = new ListLogger();
        await using var process = new SyncthingProcess(await SyncthingNode.ResolveBinaryAsync(Token), new SyncthingProcessOptions { Root = root.Path }, logger);
        await process.StartAsync(Token);
        var notADirectory = root.WriteFile("a-file", "x");

        // A folder whose path runs through a file: syncthing logs a WARNING line; ksync logs it as a warning.
        await process.Client.AddFolderAsync(new FolderConfiguration { Id = "bad", Path = Path.Combine(notADirectory, "sub"), Type = FolderType.SendReceive }, Token);

        await Eventually.TrueAsync(
            () => logger.Entries.Any(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Id.Id == 5030 && e.Message.Contains("not a directory", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20),
            "syncthing's warning in the plugin log");
        Assert.Contains(logger.Entries, e => e.Id.Id == 5022 && e.Level == Microsoft.Extensions.Logging.LogLevel.Information);
        Assert.Contains("not a directory", await File.ReadAllTextAsync(Path.Combine(root.Path, "syncthing.log"), Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongApiKey_ClearErrorNamingEndpoint()
    {
        await using var node = await SyncthingNode.StartAsync("a", Token);
        using var wrong = new SyncthingClient(node.Client.BaseAddress, "not-the-key");

        var error = await Assert.ThrowsAsync<SyncthingException>(() => wrong.GetSystemStatusAsync(Token));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("GET /rest/system/status", error.Endpoint);
        Assert.Contains("rejected the API key", error.Message, StringComparison.Ordinal);
        Assert.Contains("GET /rest/system/status", error.Message, StringComparison.Ordinal);
        Assert.Contains("CSRF", error.Message, StringComparison.Ordinal);
    }

    internal static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(10_000);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static IEnumerable<int> ChildrenOf(int pid)
        => Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(name =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{name}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return fields[1] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .Select(int.Parse!);
}
