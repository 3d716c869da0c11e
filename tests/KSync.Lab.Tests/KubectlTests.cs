using k8s;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>kubectl get and get -w against the lab (kubectl asks for server-side Tables and discovery).</summary>
[Collection(LabGroup.Name)]
public sealed class KubectlTests(LabFixture fixture) : IDisposable
{
    private readonly TempDirectory _cache = new("kubectl-cache");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _cache.Dispose();

    [Fact]
    public async Task GetPods_AndWatch_ShowTheLabsPods()
    {
        using var connection = LabClients.Connect(fixture);
        var name = "kubectl-" + Guid.NewGuid().ToString("N")[..6];
        var (watch, output) = Kubectl.Start(fixture.KubeconfigPath, _cache.Path, "get", "pods", "-n", "default", "-w");
        try
        {
            await connection.Client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(name), "default", cancellationToken: Token);
            var running = await TestPods.WaitRunningAsync(connection.Client, "default", name, Token);
            await Eventually.TrueAsync(
                () => output().Split('\n').Any(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains("Running", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30),
                "kubectl get -w to print the pod Running");
            Assert.False(watch.HasExited, output());

            var get = await Kubectl.RunAsync(fixture.KubeconfigPath, _cache.Path, "get", "pods", "-n", "default", "-o", "wide");
            Assert.True(get.ExitCode == 0, get.Output);
            var header = get.Stdout.Split('\n')[0];
            Assert.Contains("READY", header, StringComparison.Ordinal);
            Assert.Contains("RESTARTS", header, StringComparison.Ordinal);
            var line = get.Stdout.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal));
            Assert.Contains("1/1", line, StringComparison.Ordinal);
            Assert.Contains("Running", line, StringComparison.Ordinal);
            Assert.Contains(running.Spec.NodeName, line, StringComparison.Ordinal);

            var json = await Kubectl.RunAsync(fixture.KubeconfigPath, _cache.Path, "get", "pod", name, "-n", "default", "-o", "jsonpath={.status.containerStatuses[0].containerID}");
            Assert.StartsWith("docker://", json.Stdout, StringComparison.Ordinal);

            var missing = await Kubectl.RunAsync(fixture.KubeconfigPath, _cache.Path, "get", "pod", "no-such-pod", "-n", "default");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("pods \"no-such-pod\" not found", missing.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync(Token);
            watch.Dispose();
            await connection.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", cancellationToken: Token);
        }
    }
}
