using KSync.Distribution.Tests.Infrastructure;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Feature;

/// <summary>
/// The feature's start script (start-watch.sh), run as its entrypoint (root, at every container start) and as its
/// postStartCommand (the remote user, in the workspace) in a container where install.sh ran: every branch that
/// decides NOT to start a watch, that stale state is ignored, the switch to the remote user, and the project link.
/// (That it starts exactly one real watch against a cluster is <c>DevContainerAutoStartLabTests</c>.)
/// </summary>
[Collection(DebianGroup.Name)]
public sealed class StartScriptTests(DebianFixture debian)
{
    private const string Script = "/usr/local/share/ksync/start-watch.sh";
    private const string Log = "/home/dev/.ksync/autostart.log";

    [Fact]
    public async Task Start_NoKubeconfig_ReturnsAtOnceDoesNothingAndSaysSo()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);

        var start = await debian.ExecAsync(id, Script, user: "dev");
        var log = await LogLineAsync(id, "no kubeconfig reachable");

        Assert.True(start.ExitCode == 0, start.Output);
        Assert.Equal(string.Empty, start.Stdout + start.Stderr);
        Assert.Contains("(KUBECONFIG=<unset>, /home/dev/.kube/config missing, not in a pod); not starting watch", log, StringComparison.Ordinal);
        Assert.DoesNotContain("starting kubectl ksync watch --daemon (", log, StringComparison.Ordinal);
        Assert.NotEqual(0, (await debian.ExecAsync(id, "test -e /home/dev/.ksync/daemon.pid")).ExitCode);
    }

    [Fact]
    public async Task Start_KubeconfigVariableNamesOnlyMissingFiles_DoesNothing()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await WriteKubeconfigAsync(id);

        await debian.ExecAsync(id, Script, user: "dev", environment: new Dictionary<string, string> { ["KUBECONFIG"] = "/nope/a::/nope/b" });
        var log = await LogLineAsync(id, "no kubeconfig reachable");

        Assert.Contains("KUBECONFIG=/nope/a::/nope/b", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AutoStartOff_DoesNothing()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await WriteKubeconfigAsync(id);
        await debian.ExecAsync(id, "sed -i s/KSYNC_AUTOSTART=true/KSYNC_AUTOSTART=false/ /usr/local/share/ksync/feature.env");

        await debian.ExecAsync(id, Script, user: "dev");
        var log = await LogLineAsync(id, "autoStart is off");

        Assert.DoesNotContain("starting kubectl ksync watch --daemon (", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_LiveDaemonPidFile_DoesNotStartASecondWatch()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await WriteKubeconfigAsync(id);
        var pid = await StartLookalikeAsync(id, "sleep 600");
        await debian.ExecAsync(id, $"mkdir -p /home/dev/.ksync && echo {pid} > /home/dev/.ksync/daemon.pid", user: "dev");

        await debian.ExecAsync(id, Script, user: "dev");
        var log = await LogLineAsync(id, "already running");

        Assert.Contains($"kubectl ksync watch is already running (PID {pid}, from /home/dev/.ksync/daemon.pid); not starting another", log, StringComparison.Ordinal);
        Assert.DoesNotContain("starting kubectl ksync watch --daemon (", log, StringComparison.Ordinal);
        Assert.Equal($"{pid}\n", (await debian.ExecAsync(id, "cat /home/dev/.ksync/daemon.pid")).Stdout);
    }

    [Fact]
    public async Task Start_WatchRunningWithoutPidFile_DoesNotStartASecondWatch()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await WriteKubeconfigAsync(id);

        // argv: [.../kubectl-ksync, -c, "sleep 600; :", watch] — what `kubectl ksync watch` started by hand looks like.
        var pid = await StartLookalikeAsync(id, "sh -c 'sleep 600; :' watch");
        await debian.ExecAsync(id, Script, user: "dev");
        var log = await LogLineAsync(id, "already running");

        Assert.Contains($"kubectl ksync watch is already running (PID {pid}, started without --daemon)", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("4000000")]
    [InlineData("garbage")]
    public async Task Start_StalePidFile_IsIgnoredAndRemoved(string stale)
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await WriteKubeconfigAsync(id);

        // PID 1 is the container's `sleep infinity`: alive, but not kubectl-ksync (a PID reused after a restart).
        await debian.ExecAsync(id, $"mkdir -p /home/dev/.ksync && echo {stale} > /home/dev/.ksync/daemon.pid", user: "dev");
        await debian.ExecAsync(id, Script, user: "dev");
        var log = await LogLineAsync(id, "kubectl ksync watch --daemon");

        Assert.Contains("ignoring a stale PID file /home/dev/.ksync/daemon.pid", log, StringComparison.Ordinal);
        Assert.Contains("starting kubectl ksync watch --daemon (kubeconfig: /home/dev/.kube/config)", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_AnotherStartInProgress_DoesNotStartASecondWatch()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await WriteKubeconfigAsync(id);
        var holder = await StartLookalikeAsync(id, "sleep 600", name: "/usr/local/share/ksync/start-watch.sh");
        await debian.ExecAsync(id, $"mkdir -p /home/dev/.ksync/autostart.lock && echo {holder} > /home/dev/.ksync/autostart.lock/pid", user: "dev");

        await debian.ExecAsync(id, Script, user: "dev");
        var log = await LogLineAsync(id, "in progress");

        Assert.Contains($"another start (PID {holder}) is in progress; not starting a second watch", log, StringComparison.Ordinal);
        Assert.DoesNotContain("starting kubectl ksync watch --daemon (", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StaleLock_IsRemovedAndTheStartGoesOn()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await WriteKubeconfigAsync(id);
        await debian.ExecAsync(id, "mkdir -p /home/dev/.ksync/autostart.lock && echo 4000000 > /home/dev/.ksync/autostart.lock/pid", user: "dev");

        await debian.ExecAsync(id, Script, user: "dev");
        var log = await LogLineAsync(id, "kubectl ksync watch --daemon");

        Assert.Contains("removing a stale start lock (PID 4000000 is gone)", log, StringComparison.Ordinal);
        Assert.Contains("starting kubectl ksync watch --daemon", log, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => (await debian.ExecAsync(id, "test -e /home/dev/.ksync/autostart.lock")).ExitCode != 0, TimeSpan.FromSeconds(30), "the start to release its lock");
    }

    [Fact]
    public async Task Entrypoint_AsRoot_RunsAsTheFeaturesRemoteUser()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        await debian.ExecAsync(id, "echo \"KSYNC_REMOTE_USER='dev'\" >> /usr/local/share/ksync/feature.env");

        // As the feature's entrypoint runs: as root, in /, before any tool connects.
        var start = await debian.ExecAsync(id, $"cd / && {Script} --entrypoint");
        var log = await LogLineAsync(id, "no kubeconfig reachable");

        Assert.True(start.ExitCode == 0, start.Output);
        Assert.Equal(string.Empty, start.Stdout + start.Stderr);
        Assert.Contains("container start (entrypoint, as dev)", log, StringComparison.Ordinal);
        Assert.Contains("/home/dev/.kube/config missing", log, StringComparison.Ordinal);
        Assert.Equal("dev\n", (await debian.ExecAsync(id, $"stat -c %U {Log}")).Stdout);
        Assert.NotEqual(0, (await debian.ExecAsync(id, "test -e /root/.ksync")).ExitCode);
    }

    [Fact]
    public async Task PostStart_InTheWorkspace_LinksTheProjectSpecsIntoTheKsyncHome()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        (await debian.ExecAsync(id, "mkdir -p /home/dev/ws/.devcontainer", user: "dev")).EnsureSuccess();

        // As the feature's postStartCommand runs: as the remote user, in the workspace folder.
        await debian.ExecAsync(id, $"cd /home/dev/ws && {Script}", user: "dev");
        var log = await LogLineAsync(id, "project specs:");
        var link = await debian.ExecAsync(id, "readlink /home/dev/.ksync/project.yaml", user: "dev");

        Assert.Equal("/home/dev/ws/.devcontainer/ksync.yaml\n", link.Stdout);
        Assert.Contains("project specs: /home/dev/.ksync/project.yaml -> /home/dev/ws/.devcontainer/ksync.yaml (not there yet)", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostStart_UsersOwnProjectFile_IsKept()
    {
        debian.Require();
        var id = await debian.RunContainerAsync(DebianFixture.InstalledImage);
        (await debian.ExecAsync(id, "mkdir -p /home/dev/ws/.devcontainer /home/dev/.ksync && echo 'spec: []' > /home/dev/.ksync/project.yaml", user: "dev")).EnsureSuccess();

        await debian.ExecAsync(id, $"cd /home/dev/ws && {Script}", user: "dev");
        var log = await LogLineAsync(id, "keeping");

        Assert.Contains("keeping /home/dev/.ksync/project.yaml (your own file, not a link)", log, StringComparison.Ordinal);
        Assert.Equal("spec: []\n", (await debian.ExecAsync(id, "cat /home/dev/.ksync/project.yaml")).Stdout);
    }

    private async Task WriteKubeconfigAsync(string id)
        => (await debian.ExecAsync(id, "mkdir -p /home/dev/.kube && printf 'apiVersion: v1\\nkind: Config\\n' > /home/dev/.kube/config", user: "dev")).EnsureSuccess();

    /// <summary>Starts, as dev, a long-running process whose argv[0] is a kubectl-ksync path (bash's exec -a).</summary>
    private async Task<int> StartLookalikeAsync(string id, string command, string name = "/home/dev/bin/kubectl-ksync")
    {
        var started = await debian.ExecAsync(id, $"bash -c \"exec -a {name} {command.Replace("\"", "\\\"", StringComparison.Ordinal)}\" >/dev/null 2>&1 & echo $!", user: "dev");
        return int.Parse(started.EnsureSuccess().Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the detached part of the script has logged a line containing <paramref name="text"/>.</summary>
    private async Task<string> LogLineAsync(string id, string text)
    {
        var log = string.Empty;
        await Eventually.TrueAsync(
            async () =>
            {
                log = (await debian.ExecAsync(id, $"cat {Log} 2>/dev/null", user: "dev")).Stdout;
                return log.Contains(text, StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30),
            $"'{text}' in {Log}");
        return log;
    }
}
