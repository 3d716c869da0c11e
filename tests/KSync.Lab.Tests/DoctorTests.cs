using Grpc.Core;
using KSync.Lab.Api;
using KSync.Plugin.Cluster;
using KSync.Proto.Radar.V1;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KSync.Lab.Tests;

/// <summary>doctor through the published binary (and once through kubectl) against the lab.</summary>
[Collection(LabGroup.Name)]
public sealed class DoctorTests(LabFixture fixture) : IDisposable
{
    private readonly TempDirectory _home = new("ksync-home");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Doctor_OnAHealthyLab_PassesEveryClusterCheck_ThroughKubectl()
    {
        var lab = fixture.LabOnly("checks the lab's objects and access rules");
        var init = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--kubeconfig", lab.KubeconfigPath, "--timeout", "120s");
        Assert.True(init.ExitCode == 0, init.Output);
        try
        {
            // kubectl finds the plugin on PATH and passes the flags through.
            var plugin = await Binaries.PluginAsync(Token);
            var result = await ProcessRunner.RunAsync(
                Kubectl.Path,
                ["ksync", "doctor", "--ignore", "--kubeconfig", lab.KubeconfigPath],
                environment: new Dictionary<string, string?>
                {
                    ["PATH"] = Path.GetDirectoryName(plugin) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                    ["KSYNC_HOME"] = Path.Combine(_home.Path, ".ksync"),
                    ["HOME"] = _home.Path,
                    ["KUBECONFIG"] = null,
                },
                timeout: TimeSpan.FromMinutes(2),
                cancellationToken: Token);
            var lines = result.Stdout.Split('\n');
            foreach (var check in new[] { "Kubeconfig", "Cluster connection", "Cluster version", "Permissions", "DaemonSet present", "Node agents healthy", "radar version on lab-node-1", "radar version on lab-node-2" })
            {
                Assert.True(lines.Any(l => l.StartsWith($"[ok]   {check}:", StringComparison.Ordinal)), $"{check} should pass:\n{result.Output}");
            }

            // syncthing is on PATH on these machines (tests/setup.sh installs it): doctor finds it and reads its version.
            Assert.Contains(lines, l => l.StartsWith("[ok]   Local syncthing: syncthing v", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("[warn] Watch running: watch is not running", StringComparison.Ordinal));

            // The per-node runtime rows need a radar that serves GetRuntimeInfo/GetBasePath (the radar issue).
            using var connection = LabClients.Connect(lab);
            await using var radar = await RadarConnection.ConnectAsync(connection.Client, "lab-node-1", NullLogger.Instance, cancellationToken: Token);
            var servesRuntime = true;
            try
            {
                await radar.Client.GetRuntimeInfoAsync(new GetRuntimeInfoRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: Token);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                servesRuntime = false;
            }

            if (servesRuntime)
            {
                Assert.True(result.ExitCode == 0, result.Output);
                Assert.Contains("Everything looks good.", result.Stdout, StringComparison.Ordinal);
                Assert.Contains(lines, l => l.StartsWith("[ok]   Container runtime on lab-node-1: docker", StringComparison.Ordinal));
                Assert.Contains(lines, l => l.StartsWith("[ok]   Storage driver on lab-node-2:", StringComparison.Ordinal));
                Assert.Contains(lines, l => l.StartsWith("[ok]   Test path on lab-node-1:", StringComparison.Ordinal));
            }
            else
            {
                Assert.Equal(1, result.ExitCode);
                Assert.Contains(lines, l => l.StartsWith("[FAIL] Container runtime on lab-node-1: radar does not implement GetRuntimeInfo", StringComparison.Ordinal));
                Assert.Contains("fix: Run 'kubectl ksync init --upgrade'", result.Stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            var clean = await PluginCli.RunAsync(_home.Path, "clean", "--remote", "--kubeconfig", lab.KubeconfigPath);
            Assert.True(clean.ExitCode == 0, clean.Output);
        }
    }

    [Fact]
    public async Task Doctor_Failures_HaveFixHints_StopAtFirst_AndIgnoreContinuesButExits1()
    {
        var lab = fixture.LabOnly("checks the lab's objects and access rules");
        Assert.Null(lab.Store.Get(ResourceKind.Namespaces, null, "ksync"));

        var first = await PluginCli.RunAsync(_home.Path, "doctor", "--kubeconfig", lab.KubeconfigPath);
        Assert.Equal(1, first.ExitCode);
        Assert.Contains("[FAIL] DaemonSet present: The DaemonSet ksync/ksync does not exist.", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("fix: Run 'kubectl ksync init'.", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("Stopped at the first failure", first.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Watch running", first.Stdout, StringComparison.Ordinal);

        lab.Access.Deny("create", "pods/portforward", string.Empty, "ksync");
        try
        {
            var ignored = await PluginCli.RunAsync(_home.Path, "doctor", "--ignore", "--kubeconfig", lab.KubeconfigPath);
            Assert.Equal(1, ignored.ExitCode);
            Assert.Contains("[FAIL] Permissions: missing: create pods/portforward in namespace ksync", ignored.Stdout, StringComparison.Ordinal);
            Assert.Contains("fix: Ask a cluster admin", ignored.Stdout, StringComparison.Ordinal);
            Assert.Contains("[FAIL] DaemonSet present", ignored.Stdout, StringComparison.Ordinal);
            Assert.Contains("[skip] Node agents healthy", ignored.Stdout, StringComparison.Ordinal);
            Assert.Contains("Watch running", ignored.Stdout, StringComparison.Ordinal);
            Assert.Contains("2 check(s) failed.", ignored.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            lab.Access.AllowAll();
        }

        var unreachable = _home.WriteFile("dead.kubeconfig", DeadKubeconfig());
        var dead = await PluginCli.RunAsync(_home.Path, "doctor", "--ignore", "--kubeconfig", unreachable);
        Assert.Equal(1, dead.ExitCode);
        Assert.Contains("[FAIL] Cluster connection: Cannot reach the cluster", dead.Stdout, StringComparison.Ordinal);
        Assert.Contains("[skip] Cluster version: needs a cluster connection", dead.Stdout, StringComparison.Ordinal);
    }

    internal static string DeadKubeconfig() => $"""
        apiVersion: v1
        kind: Config
        clusters:
          - name: dead
            cluster:
              server: https://127.0.0.1:{FreePort.Next()}
              insecure-skip-tls-verify: true
        users:
          - name: dead
            user:
              token: nothing
        contexts:
          - name: dead
            context:
              cluster: dead
              user: dead
        current-context: dead

        """;
}
