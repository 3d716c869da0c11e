using System.Diagnostics;
using KSync.Radar.Paths;
using KSync.Radar.Runtimes;
using KSync.TestKit;

namespace KSync.Radar.Tests.Paths;

/// <summary>
/// The /proc/&lt;pid&gt;/root fallback against a real process in its own mount namespace (unshare): a path radar
/// returns goes through that namespace's mounts, not the node's.
/// </summary>
public sealed class ProcFallbackTests : IDisposable
{
    private readonly TempDirectory _mountPoint = new("ksync-ns");

    [Fact]
    public async Task Resolve_ProcessInOwnMountNamespace_PathReachesItsMounts()
    {
        Requires.Root();
        var unshare = Requires.Tool("unshare", "util-linux");
        var nsenter = Requires.Tool("nsenter", "util-linux");
        var ct = TestContext.Current.CancellationToken;
        var script = $"mount -t tmpfs ksync-test '{_mountPoint.Path}' && echo inside > '{_mountPoint.Path}/marker' && echo ready $$ && exec sleep 300";
        var info = new ProcessStartInfo(unshare) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--mount", "--propagation", "private", "/bin/sh", "-c", script })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var pid = 0;
        try
        {
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(ct);
            ready.CancelAfter(TimeSpan.FromSeconds(20));
            var line = await process.StandardOutput.ReadLineAsync(ready.Token) ?? string.Empty;
            Assert.True(line.StartsWith("ready ", StringComparison.Ordinal), $"unshare did not start: {line}");

            // The shell reports its own PID: that is the process in the new mount namespace (unshare may fork).
            pid = int.Parse(line["ready ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var details = new ContainerDetails(new ContainerRef(RuntimeKind.Containerd, new string('e', 64)), true, pid, null, [], new Dictionary<string, string>());

            var resolved = new PathResolver("/proc").Resolve(details, RemotePath.Parse(_mountPoint.Path + "/synced.txt"));

            Assert.Equal("proc", resolved.Backend);
            Assert.Equal($"/proc/{pid}/root{_mountPoint.Path}/synced.txt", resolved.NodePath);
            Assert.Equal("inside", (await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(resolved.NodePath)!, "marker"), ct)).Trim());
            await File.WriteAllTextAsync(resolved.NodePath, "through the namespace", ct);
            var seen = await ProcessRunner.RunAsync(nsenter, ["-t", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "cat", _mountPoint.Path + "/synced.txt"], cancellationToken: ct);
            Assert.Equal("through the namespace", seen.EnsureSuccess().Stdout.Trim());
            Assert.False(File.Exists(Path.Combine(_mountPoint.Path, "synced.txt")), "the node's own directory must not get the file: it went into the process's tmpfs");
        }
        finally
        {
            if (pid > 0)
            {
                await ProcessRunner.RunAsync("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], cancellationToken: CancellationToken.None);
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public void Dispose() => _mountPoint.Dispose();
}
