using System.Text;
using k8s;
using k8s.Models;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>The lab's API server through KubernetesClient: discovery, CRUD, pods backed by containers, port-forward.</summary>
[Collection(LabGroup.Name)]
public sealed class LabApiTests(LabFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private Kubernetes Client()
    {
        if (LabFixture.External is null)
        {
            Requires.Root();
        }

        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.KubeconfigPath));
    }

    [Fact]
    public async Task Version_AndNodes_AreServedOverTlsWithToken()
    {
        fixture.LabOnly("names the lab's nodes");
        using var client = Client();
        var version = await client.Version.GetCodeAsync(Token);
        Assert.Equal("1", version.Major);
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: Token);
        Assert.Equal(["lab-node-1", "lab-node-2"], nodes.Items.Select(n => n.Metadata.Name).Order());
        Assert.Contains(nodes.Items, n => n.Spec.Taints?.Any(t => t.Effect == "NoSchedule") == true);
    }

    [Fact]
    public async Task WrongToken_Gets401Status()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(fixture.LabOnly("authenticates by token only").KubeconfigPath);
        config.AccessToken = "wrong";
        using var client = new Kubernetes(config);
        var ex = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync("default", cancellationToken: Token));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.Response.StatusCode);
    }

    [Fact]
    public async Task Pod_IsBackedByContainer_FromCreateToDelete()
    {
        fixture.LabOnly("inspects the lab's engine");
        using var client = Client();
        var name = "crud-" + Guid.NewGuid().ToString("N")[..6];
        await client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(name), "default", cancellationToken: Token);
        var pod = await TestPods.WaitRunningAsync(client, "default", name, Token);
        var status = Assert.Single(pod.Status.ContainerStatuses);
        Assert.StartsWith("docker://", status.ContainerID, StringComparison.Ordinal);
        Assert.NotNull(pod.Spec.NodeName);
        Assert.Equal("lab-node-1", pod.Spec.NodeName); // lab-node-2 is tainted and the pod has no toleration
        var id = status.ContainerID["docker://".Length..];
        var labels = await fixture.Lab.Engine.CliOkAsync("inspect", "-f", "{{index .Config.Labels \"io.kubernetes.pod.name\"}} {{index .Config.Labels \"io.kubernetes.container.name\"}}", id);
        Assert.Equal($"{name} app", labels);
        var mounts = await fixture.Lab.Engine.CliOkAsync("inspect", "-f", "{{range .Mounts}}{{.Source}}{{end}}", id);
        Assert.EndsWith($"/kubelet/pods/{pod.Metadata.Uid}/volumes/kubernetes.io~empty-dir/data", mounts, StringComparison.Ordinal);

        await client.CoreV1.DeleteNamespacedPodAsync(name, "default", cancellationToken: Token);
        await Eventually.TrueAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: $"metadata.name={name}", cancellationToken: Token)).Items.Count == 0,
            TimeSpan.FromSeconds(30),
            "the pod to be gone");
        var left = await fixture.Lab.Engine.CliAsync(["inspect", id], cancellationToken: Token);
        Assert.NotEqual(0, left.ExitCode);
    }

    [Fact]
    public async Task PortForward_WithClientDemuxer_ReachesContainerPort()
    {
        using var client = Client();
        var name = "pf-" + Guid.NewGuid().ToString("N")[..6];
        await client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(name), "default", cancellationToken: Token);
        await TestPods.WaitRunningAsync(client, "default", name, Token);
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    using var socket = await client.WebSocketNamespacedPodPortForwardAsync(name, "default", [7000], "v4.channel.k8s.io");
                    using var demux = new StreamDemuxer(socket, StreamType.PortForward);
                    demux.Start();
                    using var stream = demux.GetStream((byte?)0, (byte?)0);
                    var hello = Encoding.ASCII.GetBytes("hello lab\n");
                    await stream.WriteAsync(hello, Token);
                    var buffer = new byte[hello.Length];
                    var read = 0;
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    while (read < buffer.Length)
                    {
                        var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                        if (n == 0)
                        {
                            return false;
                        }

                        read += n;
                    }

                    return Encoding.ASCII.GetString(buffer) == "hello lab\n";
                },
                TimeSpan.FromSeconds(30),
                "an echo through the port-forward");
        }
        finally
        {
            await client.CoreV1.DeleteNamespacedPodAsync(name, "default", cancellationToken: Token);
        }
    }
}
