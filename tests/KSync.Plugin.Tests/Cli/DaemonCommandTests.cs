using System.Globalization;
using KSync.TestKit;

namespace KSync.Plugin.Tests.Cli;

/// <summary>
/// <c>watch --daemon</c> and <c>clean --local</c> through the published binary: the background watch's own output
/// reaches daemon.log and the launcher's error, it leaves the caller's session, and it is stopped by a signal sent
/// without any external command.
/// </summary>
public sealed class DaemonCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    private string DaemonLog => Path.Combine(_cli.Runner.Home, "daemon.log");

    [Fact]
    public async Task WatchDaemon_WatchExitsAtStart_ErrorAndLogCarryItsOutput()
    {
        var result = await _cli.Runner.RunAsync("watch", "--daemon", "--kubeconfig", "/nonexistent/kubeconfig");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: The background watch exited before it was ready (exit code 1).", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Hint: {DaemonLog} says:\nError: The kubeconfig file '/nonexistent/kubeconfig' does not exist.", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Error: The kubeconfig file '/nonexistent/kubeconfig' does not exist.", File.ReadAllText(DaemonLog), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_cli.Runner.Home, "daemon.pid")), "daemon.pid is left by a watch that never ran");
    }

    [Fact]
    public async Task WatchDaemon_RunsDetachedIntoItsLog_AndCleanLocalStopsItWithoutAKillCommand()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Requires.Tool("syncthing", "syncthing");
        _cli.Runner.With("KUBECONFIG", WriteKubeconfig());

        // A project file named relative to the caller's folder: the background watch runs in the ksync home.
        _cli.MakeFolder("repo/src");
        File.WriteAllText(Path.Combine(_cli.Work, "repo/ksync.yaml"), "spec:\n- name: team\n  selector: [app=team]\n  localpath: src\n  remotepath: /app\n");
        _cli.Runner.With("KSYNC_PROJECT", "repo/ksync.yaml");

        var started = await _cli.Runner.RunAsync("watch", "--daemon");
        Assert.True(started.ExitCode == 0, started.Output);
        var pid = int.Parse(File.ReadAllText(Path.Combine(_cli.Runner.Home, "daemon.pid")).Trim(), CultureInfo.InvariantCulture);
        try
        {
            Assert.Contains($"watch is running in the background (PID {pid})", started.Stdout, StringComparison.Ordinal);

            // Its own session (field 6 of /proc/PID/stat), stdin from /dev/null, stdout and stderr the log itself.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3]);
            Assert.Equal("/dev/null", new FileInfo($"/proc/{pid}/fd/0").LinkTarget);
            Assert.Equal(DaemonLog, new FileInfo($"/proc/{pid}/fd/1").LinkTarget);
            Assert.Equal(DaemonLog, new FileInfo($"/proc/{pid}/fd/2").LinkTarget);
            Assert.Contains("Watching. Status on 127.0.0.1:", File.ReadAllText(DaemonLog), StringComparison.Ordinal);

            var get = await _cli.Runner.RunAsync("get", "-o", "json");
            Assert.Contains("\"watching\": true", get.Stdout, StringComparison.Ordinal);
            Assert.Contains($"\"localPath\": \"{Path.Combine(_cli.Work, "repo/src")}\"", get.Stdout, StringComparison.Ordinal);
            Assert.Contains($"\"sourcePath\": \"{Path.Combine(_cli.Work, "repo/ksync.yaml")}\"", get.Stdout, StringComparison.Ordinal);

            // Slim images have no procps, so no `kill` on PATH: the signal must not need one.
            var clean = await _cli.Runner.With("PATH", "/nonexistent").RunAsync("clean", "--local");

            Assert.True(clean.ExitCode == 0, clean.Output);
            Assert.Equal($"Stopped the background watch (pid {pid}).\n", clean.Stdout);
            Assert.Contains("Stopped: every folder and tunnel torn down", File.ReadAllText(DaemonLog), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists($"/proc/{pid}"))
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
        }
    }

    private string WriteKubeconfig()
    {
        // Nothing answers on port 1; watch serves status before it first talks to the API server.
        var path = Path.Combine(_cli.Work, "kubeconfig");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters:
            - name: c
              cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }
            users:
            - name: u
              user: { token: t }
            contexts:
            - name: c
              context: { cluster: c, user: u }
            """);
        return path;
    }
}
