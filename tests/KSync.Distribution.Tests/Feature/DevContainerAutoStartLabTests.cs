using KSync.Distribution.Tests.Infrastructure;
using KSync.Lab;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Feature;

/// <summary>
/// The feature's postStartCommand against a cluster: with the lab's kubeconfig in the dev container, it starts exactly
/// one real `kubectl ksync watch`, and running it again (one after another, or two at once, as when a container is
/// restarted while VS Code reconnects) never starts a second one. Each container gets a status port of its own
/// (KSYNC_PORT): they share the host's network.
/// </summary>
[Collection(DebianGroup.Name)]
public sealed class DevContainerAutoStartLabTests(DebianFixture debian)
{
    private const string Script = "/usr/local/share/ksync/start-watch.sh";

    [Fact]
    public async Task Start_WithLabKubeconfig_StartsExactlyOneWatch_AndASecondRunDoesNot()
    {
        debian.Require();
        var lab = await debian.LabAsync();
        var id = await StartContainerAsync();
        await InstallKubeconfigAsync(id, lab);

        var first = await debian.ExecAsync(id, Script, user: "dev");
        Assert.True(first.ExitCode == 0, first.Output);
        var pid = await WatchPidAsync(id);

        var second = await debian.ExecAsync(id, Script, user: "dev");
        await Eventually.TrueAsync(
            async () => (await LogAsync(id)).Contains($"already running (PID {pid}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the second start to see the running watch");

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal([pid], await WatchPidsAsync(id));
        var get = await debian.ExecAsync(id, "kubectl ksync get", user: "dev");
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.DoesNotContain("not watching", get.Stdout, StringComparison.Ordinal);
        await RemoveAsync(id);
    }

    [Fact]
    public async Task Start_TwoAtOnce_StartOneWatch()
    {
        debian.Require();
        var lab = await debian.LabAsync();
        var id = await StartContainerAsync();
        await InstallKubeconfigAsync(id, lab);

        await debian.ExecAsync(id, $"{Script} & {Script} & wait", user: "dev");
        var pid = await WatchPidAsync(id);
        await Eventually.TrueAsync(
            async () => (await LogAsync(id)).Split('\n').Count(l => l.Contains("not starting", StringComparison.Ordinal)) == 1,
            TimeSpan.FromSeconds(30),
            "one of the two starts to stand down");

        Assert.Equal([pid], await WatchPidsAsync(id));
        await RemoveAsync(id);
    }

    private Task<string> StartContainerAsync()
        => debian.RunContainerAsync(DebianFixture.InstalledImage, "-e", $"KSYNC_PORT={FreePort.Next()}");

    private async Task RemoveAsync(string id) => (await debian.DockerAsync(["rm", "-f", id])).EnsureSuccess();

    private async Task InstallKubeconfigAsync(string id, LabCluster lab)
    {
        await debian.ExecAsync(id, "mkdir -p /home/dev/.kube", user: "dev");
        (await debian.DockerAsync(["cp", lab.KubeconfigPath, $"{id}:/home/dev/.kube/config"])).EnsureSuccess();
        (await debian.ExecAsync(id, "chown dev:dev /home/dev/.kube/config && chmod 600 /home/dev/.kube/config")).EnsureSuccess();
    }

    private async Task<string> LogAsync(string id)
        => (await debian.ExecAsync(id, "cat /home/dev/.ksync/autostart.log 2>/dev/null", user: "dev")).Stdout;

    /// <summary>Waits for daemon.pid to name a live watch; returns its PID.</summary>
    private async Task<int> WatchPidAsync(string id)
    {
        var pid = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                var text = (await debian.ExecAsync(id, "cat /home/dev/.ksync/daemon.pid", user: "dev")).Stdout.Trim();
                return int.TryParse(text, out pid) && (await WatchPidsAsync(id)).SequenceEqual([pid]);
            },
            TimeSpan.FromSeconds(60),
            $"exactly one running watch, the one in daemon.pid (autostart log: {await LogAsync(id)})");
        return pid;
    }

    /// <summary>PIDs of every kubectl-ksync process whose arguments include "watch".</summary>
    private async Task<int[]> WatchPidsAsync(string id)
    {
        var ps = await debian.ExecAsync(
            id,
            "for d in /proc/[0-9]*; do tr '\\0' ' ' < $d/cmdline 2>/dev/null | grep -q '^[^ ]*kubectl-ksync .*watch' && echo ${d#/proc/}; done; true");
        return [.. ps.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Order()];
    }
}
