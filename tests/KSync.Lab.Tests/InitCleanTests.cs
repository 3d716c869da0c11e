using System.Text;
using KSync.Lab.Api;
using KSync.Plugin.Cluster;
using KSync.Plugin.Cluster.Manifests;
using KSync.Proto.Radar.V1;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Lab.Tests;

/// <summary>init and clean through the published binary against the lab; the node agents they start are real.</summary>
[Collection(LabGroup.Name)]
public sealed class InitCleanTests(LabFixture fixture) : IDisposable
{
    private readonly TempDirectory _home = new("ksync-home");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Init_WithMissingRights_ListsThemAndCreatesNothing()
    {
        var lab = fixture.LabOnly("checks the lab's objects and access rules");
        lab.Access.Deny("create", "daemonsets", "apps");
        lab.Access.Deny("create", "secrets", string.Empty, "ksync");
        try
        {
            var result = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--kubeconfig", lab.KubeconfigPath);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("create daemonsets.apps in namespace ksync", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("create secrets in namespace ksync", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("nothing was changed", result.Stderr, StringComparison.Ordinal);
            Assert.Null(lab.Store.Get(ResourceKind.Namespaces, null, "ksync"));
        }
        finally
        {
            lab.Access.AllowAll();
        }
    }

    [Fact]
    public async Task Init_InstallsWaitsIsIdempotent_UpgradeUpdates_SecretReused_CleanRemovesAll()
    {
        var lab = fixture.LabOnly("checks the lab's objects and access rules");
        var first = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--kubeconfig", lab.KubeconfigPath, "--timeout", "120s");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("ready on 2 node(s)", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("daemonset/ksync: created", first.Stderr, StringComparison.Ordinal);
        var key = ApiKeyOf(lab);
        var agents = lab.AgentPods();
        Assert.Equal(["lab-node-1", "lab-node-2"], agents.Keys.Order()); // the tainted node too: the DaemonSet tolerates it

        // The agents are real: radar answers over a port-forward, the node syncthing takes the Secret's key.
        using (var connection = LabClients.Connect(lab))
        {
            foreach (var node in agents.Keys)
            {
                await using var radar = await RadarConnection.ConnectAsync(connection.Client, node, NullLogger.Instance, cancellationToken: Token);
                var version = await radar.Client.GetVersionInfoAsync(new GetVersionInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: Token);
                Assert.False(string.IsNullOrEmpty(version.Version));
                await using var api = Tunnel.Start(connection.Client, NodeAgent.DefaultNamespace, agents[node], NodeAgent.SyncthingApiPort, NullLogger.Instance);
                using var http = new HttpClient();
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{api.LocalPort}/rest/system/ping");
                request.Headers.Add("X-API-Key", key);
                using var response = await http.SendAsync(request, Token);
                Assert.True(response.IsSuccessStatusCode, $"syncthing on {node}: {(int)response.StatusCode}");
            }
        }

        using (var cache = new TempDirectory("kubectl-cache"))
        {
            var kubectl = await Kubectl.RunAsync(lab.KubeconfigPath, cache.Path, "get", "daemonsets", "-n", "ksync");
            Assert.True(kubectl.ExitCode == 0, kubectl.Output);
            var row = kubectl.Stdout.Split('\n').Single(l => l.StartsWith("ksync ", StringComparison.Ordinal));
            Assert.Equal(["ksync", "2", "2", "2", "2", "2"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(6));
        }

        var second = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--kubeconfig", lab.KubeconfigPath, "--timeout", "120s");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("daemonset/ksync: exists, unchanged", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("secret/ksync: kept", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(agents, lab.AgentPods());

        var upgrade = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--upgrade", "--image", lab.RolloutImage, "--kubeconfig", lab.KubeconfigPath, "--timeout", "120s");
        Assert.True(upgrade.ExitCode == 0, upgrade.Output);
        Assert.Contains("daemonset/ksync: updated", upgrade.Stderr, StringComparison.Ordinal);
        var ds = lab.Store.Get(ResourceKind.DaemonSets, "ksync", "ksync")!;
        Assert.Equal(lab.RolloutImage, (string?)ds["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal(key, ApiKeyOf(lab));
        Assert.All(lab.AgentPods(), p => Assert.NotEqual(agents[p.Key], p.Value)); // replaced by the rollout

        var clean = await PluginCli.RunAsync(_home.Path, "clean", "--remote", "--kubeconfig", lab.KubeconfigPath);
        Assert.True(clean.ExitCode == 0, clean.Output);
        foreach (var kind in new[] { ResourceKind.DaemonSets, ResourceKind.Secrets, ResourceKind.ServiceAccounts, ResourceKind.Roles })
        {
            Assert.Empty(lab.Store.List(kind, "ksync").Items);
        }

        Assert.Null(lab.Store.Get(ResourceKind.Namespaces, null, "ksync"));
        await Eventually.TrueAsync(() => lab.AgentPods().Count == 0, TimeSpan.FromSeconds(30), "the agents to stop");
        var again = await PluginCli.RunAsync(_home.Path, "clean", "--remote", "--kubeconfig", lab.KubeconfigPath);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("Nothing to remove", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_ReportsANodeThatIsNotReady_WithItsReason()
    {
        var lab = fixture.LabOnly("checks the lab's objects and access rules");
        await lab.SetAgentPullFailingAsync("lab-node-2", true);
        try
        {
            var result = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--kubeconfig", lab.KubeconfigPath, "--timeout", "10s");
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("not ready on 1 of 2 node(s)", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("lab-node-2", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("ErrImagePull", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("lab-node-1:", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await lab.SetAgentPullFailingAsync("lab-node-2", false);
            var clean = await PluginCli.RunAsync(_home.Path, "clean", "--remote", "--kubeconfig", lab.KubeconfigPath);
            Assert.True(clean.ExitCode == 0, clean.Output);
        }
    }

    [Fact]
    public async Task CleanLocal_MissingOrStalePidFile_IsNotAnError_AndAWatchIsStopped()
    {
        Requires.Root();
        var ksyncHome = Path.Combine(_home.Path, ".ksync");
        Directory.CreateDirectory(ksyncHome);
        var pidFile = Path.Combine(ksyncHome, "daemon.pid");

        var missing = await PluginCli.RunAsync(_home.Path, "clean", "--local");
        Assert.True(missing.ExitCode == 0, missing.Output);
        Assert.Contains("No background watch is running", missing.Stdout, StringComparison.Ordinal);

        // A reused PID: this test process is alive but is no watch; it must not be signalled.
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), Token);
        var stale = await PluginCli.RunAsync(_home.Path, "clean", "--local");
        Assert.True(stale.ExitCode == 0, stale.Output);
        Assert.Contains("stale", stale.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(pidFile));

        // Something that looks like a watch (kubectl-ksync watch) is stopped with SIGTERM.
        var fake = _home.WriteFile("bin/kubectl-ksync", "#!/bin/sh\ntrap 'exit 0' TERM\nwhile true; do sleep 1; done\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var watch = System.Diagnostics.Process.Start(fake, ["watch"]);
        await File.WriteAllTextAsync(pidFile, watch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Token);
        var stopped = await PluginCli.RunAsync(_home.Path, "clean", "--local");
        Assert.True(stopped.ExitCode == 0, stopped.Output);
        Assert.Contains($"Stopped the background watch (pid {watch.Id})", stopped.Stdout, StringComparison.Ordinal);
        Assert.True(watch.HasExited);
    }

    [Fact]
    public async Task CleanNuke_AsksFirst_AndYesRemovesTheHome()
    {
        Requires.Root();
        var ksyncHome = Path.Combine(_home.Path, ".ksync");
        Directory.CreateDirectory(ksyncHome);
        await File.WriteAllTextAsync(Path.Combine(ksyncHome, "ksync.yaml"), "spec: []\n", Token);

        // No answer (stdin closed) is a no: nothing is removed, exit 1.
        var declined = await PluginCli.RunAsync(_home.Path, "clean", "--nuke", "--kubeconfig", fixture.KubeconfigPath);
        Assert.Equal(1, declined.ExitCode);
        Assert.True(File.Exists(Path.Combine(ksyncHome, "ksync.yaml")));

        var yes = await PluginCli.RunAsync(_home.Path, "clean", "--nuke", "--yes", "--kubeconfig", fixture.KubeconfigPath);
        Assert.True(yes.ExitCode == 0, yes.Output);
        Assert.False(Directory.Exists(ksyncHome));
    }

    private static string ApiKeyOf(LabCluster lab)
    {
        var secret = lab.Store.Get(ResourceKind.Secrets, "ksync", "ksync")!;
        return Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![NodeAgent.ApiKeySecretKey]!));
    }
}
