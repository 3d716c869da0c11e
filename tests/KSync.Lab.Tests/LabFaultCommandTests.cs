using k8s;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary><c>ksync-lab fault …</c> against a lab started with <c>up --detach</c>, as a script or a person uses them.</summary>
public sealed class LabFaultCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Faults_FromOutside_RebootApiDownCutForwardsKillAgent_AndBadInput()
    {
        if (LabFixture.External is not null)
        {
            Assert.Skip("starts its own lab; KSYNC_E2E_KUBECONFIG names a real cluster");
        }

        Requires.Root();
        using var state = new TempDirectory("lab-faults");
        using var cache = new TempDirectory("kubectl-cache");
        var lab = Path.Combine(AppContext.BaseDirectory, "ksync-lab.dll");
        Task<ProcessResult> LabAsync(params string[] args) => ProcessRunner.RunAsync("dotnet", [lab, .. args, "--state", state.Path], timeout: TimeSpan.FromMinutes(4), cancellationToken: Token);
        try
        {
            var up = await LabAsync("up", "--detach", "--nodes", "1");
            Assert.True(up.ExitCode == 0, up.Output);
            var kubeconfig = up.Stdout.Trim();
            Task<ProcessResult> KubectlAsync(params string[] args) => Kubectl.RunAsync(kubeconfig, cache.Path, args);

            var pod = TestPods.Echo("fault-echo");
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            await client.CoreV1.CreateNamespacedPodAsync(pod, "default", cancellationToken: Token);
            var before = (await TestPods.WaitRunningAsync(client, "default", "fault-echo", Token)).Status.ContainerStatuses[0].ContainerID;

            // reboot: the pod stays, its container is new.
            var reboot = await LabAsync("fault", "reboot", "--node", "lab-node-1");
            Assert.True(reboot.ExitCode == 0, reboot.Output);
            Assert.Contains("rebooted lab-node-1", reboot.Stdout, StringComparison.Ordinal);
            await Eventually.TrueAsync(
                async () => (await client.CoreV1.ReadNamespacedPodAsync("fault-echo", "default", cancellationToken: Token)).Status.ContainerStatuses?[0] is { Ready: true } s && s.ContainerID != before && s.RestartCount == 1,
                TimeSpan.FromSeconds(60),
                "the pod to run again in a new container after the reboot");

            // cut-forwards: an open port-forward stream ends; a new one works.
            using (var socket = await client.WebSocketNamespacedPodPortForwardAsync("fault-echo", "default", [7000], "v4.channel.k8s.io", cancellationToken: Token))
            using (var demux = new StreamDemuxer(socket, StreamType.PortForward))
            {
                demux.Start();
                using var stream = demux.GetStream((byte?)0, (byte?)0);
                await stream.WriteAsync("ping\n"u8.ToArray(), Token);
                var buffer = new byte[5];
                var read = 0;
                while (read < 5)
                {
                    read += await stream.ReadAsync(buffer.AsMemory(read), Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Token);
                }

                var cut = await LabAsync("fault", "cut-forwards", "--node", "lab-node-1");
                Assert.True(cut.ExitCode == 0, cut.Output);
                Assert.Contains("cut 1 port-forward stream(s)", cut.Stdout, StringComparison.Ordinal);
                await Eventually.TrueAsync(() => socket.State != System.Net.WebSockets.WebSocketState.Open, TimeSpan.FromSeconds(15), "the cut stream to close");
            }

            // api-down: refused now, answering again after N seconds.
            var down = await LabAsync("fault", "api-down", "--seconds", "3");
            Assert.True(down.ExitCode == 0, down.Output);
            Assert.NotEqual(0, (await KubectlAsync("get", "nodes", "--request-timeout=2s")).ExitCode);
            await Eventually.TrueAsync(async () => (await KubectlAsync("get", "nodes")).ExitCode == 0, TimeSpan.FromSeconds(30), "the API server to answer again");

            // kill-agent: bad input first (no agent yet), then the agent's containers restart in the same pod.
            var noAgent = await LabAsync("fault", "kill-agent", "--node", "lab-node-1");
            Assert.Equal(1, noAgent.ExitCode);
            Assert.Contains("No agent pod runs on lab-node-1", noAgent.Stderr, StringComparison.Ordinal);
            var unknown = await LabAsync("fault", "reboot", "--node", "lab-node-9");
            Assert.Equal(1, unknown.ExitCode);
            Assert.Contains("unknown node 'lab-node-9'", unknown.Stderr, StringComparison.Ordinal);

            using var home = new TempDirectory("ksync-home");
            var init = await PluginCli.RunAsync(home.Path, "init", "--remote", "--kubeconfig", kubeconfig, "--timeout", "120s");
            Assert.True(init.ExitCode == 0, init.Output);
            var kill = await LabAsync("fault", "kill-agent", "--node", "lab-node-1");
            Assert.True(kill.ExitCode == 0, kill.Output);
            var agent = kill.Stdout.Split(' ')[4];
            await Eventually.TrueAsync(
                async () => (await client.CoreV1.ReadNamespacedPodAsync(agent, "ksync", cancellationToken: Token)).Status.ContainerStatuses.All(c => c.RestartCount == 1 && c.Ready),
                TimeSpan.FromSeconds(60),
                "the agent's containers to be restarted in the same pod");
        }
        finally
        {
            var down = await LabAsync("down");
            Assert.True(down.ExitCode == 0, down.Output);
        }

        var bad = await ProcessRunner.RunAsync("dotnet", [lab, "fault", "reboot", "--node", "lab-node-1", "--state", state.Path], cancellationToken: Token);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("no lab runs", bad.Stderr, StringComparison.Ordinal);
    }
}
