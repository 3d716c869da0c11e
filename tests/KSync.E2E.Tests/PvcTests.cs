using k8s;
using k8s.Models;
using KSync.Lab.Nodes;

namespace KSync.E2E.Tests;

/// <summary>Files ksync syncs into a path backed by a PersistentVolumeClaim outlive the pod.</summary>
[Collection(E2EGroup.Name)]
public sealed class PvcTests(E2EFixture fixture)
{
    private readonly LabPods _pods = new(fixture);

    [Fact]
    public async Task Watch_IntoPvcBackedPath_FilesSurvivePodDeletedAndRecreated()
    {
        fixture.Require();
        var claim = LabPods.Unique("data");
        await fixture.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(
            new V1PersistentVolumeClaim
            {
                Metadata = new V1ObjectMeta { Name = claim },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                },
            },
            LabPods.Namespace,
            cancellationToken: TestContext.Current.CancellationToken);
        var pod = LabPods.Unique("pvc");
        await _pods.CreateAsync(pod, pod, runtime: NodeRuntime.Containerd, claim: claim);
        var bound = await fixture.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, LabPods.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Bound", bound.Status.Phase);

        await using (var session = new WatchSession(fixture.Lab.KubeconfigPath))
        {
            var local = session.LocalFolder("proj");
            File.WriteAllText(Path.Combine(local, "a.txt"), "from local");
            await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "pvc", "--reload-mode", "none");
            await session.StartWatchAsync();
            await session.WaitWatchingAsync("pvc");
            await _pods.WaitFileAsync(pod, "/app/a.txt", "from local", "the local file on the claim");
            await _pods.WriteAsync(pod, "/app/from-pod.txt", "from the pod");
            await SyncTests.WaitLocalAsync(Path.Combine(local, "from-pod.txt"), "from the pod", "the pod's file to come back");
        }

        // No watch runs from here on: what the new pod finds on the claim was kept by the volume, not synced again.
        var firstId = await _pods.ContainerIdAsync(pod);
        await _pods.DeleteAsync(pod);
        await _pods.CreateAsync(pod, pod, runtime: NodeRuntime.Containerd, claim: claim);
        Assert.NotEqual(firstId, await _pods.ContainerIdAsync(pod));
        Assert.Equal("from local", await _pods.ReadAsync(pod, "/app/a.txt"));
        Assert.Equal("from the pod", await _pods.ReadAsync(pod, "/app/from-pod.txt"));
        await _pods.DeleteAsync(pod);
    }
}
