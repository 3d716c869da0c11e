using KSync.Config.Validation;
using KSync.Engine.Syncing;
using KSync.Plugin.Cluster;
using KSync.TestKit;
using k8s;
using k8s.Models;

namespace KSync.Lab.Tests;

/// <summary>Which pods and containers a spec syncs with, on pods the lab really runs.</summary>
[Collection(LabGroup.Name)]
public sealed class PodMatcherTests(LabFixture fixture)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Match_ByNameAndBySelector_GivesTheRunningContainersFacts()
    {
        using var connection = LabClients.Connect(fixture);
        var name = "match-" + Guid.NewGuid().ToString("N")[..6];
        var pod = TestPods.Echo(name, new Dictionary<string, string> { ["app"] = "matcher", ["tier"] = "web" });
        pod.Spec.Containers.Add(new V1Container { Name = "side", Image = "busybox:latest" });
        await connection.Client.CoreV1.CreateNamespacedPodAsync(pod, "default", cancellationToken: Token);
        try
        {
            var running = await TestPods.WaitRunningAsync(connection.Client, "default", name, Token);

            var byName = new PodMatcher(name, null, null).Match(running);
            Assert.NotNull(byName);
            Assert.Equal("app", byName.ContainerName); // the first container of the spec
            Assert.Equal("default", byName.Namespace);
            Assert.Equal(running.Spec.NodeName, byName.NodeName);
            Assert.Equal("docker", byName.Runtime);
            Assert.Equal(running.Status.ContainerStatuses.Single(c => c.Name == "app").ContainerID, byName.ContainerId);
            Assert.Equal(0, byName.RestartCount);

            var bySelector = new PodMatcher(null, LabelSelector.Parse(["app=matcher,tier in (web)"]), "side").Match(running);
            Assert.Equal("side", bySelector?.ContainerName);
            Assert.Null(new PodMatcher(name, LabelSelector.Parse(["app=other"]), null).Match(running)); // both must hold
            Assert.Null(new PodMatcher("someone-else", LabelSelector.Parse(["app=matcher"]), null).Match(running));
            Assert.Null(new PodMatcher(name, null, "missing").Match(running));

            var selection = new PodMatcher(name, LabelSelector.Parse(["app=matcher"]), null).Selection("default");
            var listed = await connection.Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selection.LabelSelector, fieldSelector: selection.FieldSelector, cancellationToken: Token);
            Assert.Equal(name, Assert.Single(listed.Items).Metadata.Name);
        }
        finally
        {
            await connection.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", cancellationToken: Token);
        }
    }

    [Fact]
    public async Task Match_RestartedContainer_HasNewIdAndRestartCount()
    {
        using var connection = LabClients.Connect(fixture);
        var name = "restart-" + Guid.NewGuid().ToString("N")[..6];
        await connection.Client.CoreV1.CreateNamespacedPodAsync(TestPods.Echo(name), "default", cancellationToken: Token);
        try
        {
            var running = await TestPods.WaitRunningAsync(connection.Client, "default", name, Token);
            var matcher = new PodMatcher(name, null, null);
            var before = matcher.Match(running)!;
            await fixture.LabOnly("kills a container in the engine").Engine.CliOkAsync("kill", before.RuntimeId);
            RemoteContainer? after = null;
            await Eventually.TrueAsync(
                async () =>
                {
                    after = matcher.Match(await connection.Client.CoreV1.ReadNamespacedPodAsync(name, "default", cancellationToken: Token));
                    return after is not null && after.ContainerId != before.ContainerId;
                },
                TimeSpan.FromSeconds(30),
                "the kubelet to restart the container");
            Assert.Equal(1, after!.RestartCount);
        }
        finally
        {
            await connection.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", cancellationToken: Token);
        }
    }

    [Fact]
    public void Matcher_NeedsANameOrASelector()
    {
        Requires.Root();
        Assert.Throws<ArgumentException>(() => new PodMatcher(null, null, "c"));
        Assert.Throws<ArgumentException>(() => new PodMatcher(string.Empty, LabelSelector.Parse([]), null));
    }
}
