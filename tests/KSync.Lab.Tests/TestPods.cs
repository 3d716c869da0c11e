using k8s;
using k8s.Models;

namespace KSync.Lab.Tests;

/// <summary>Pods the tests create in the lab.</summary>
internal static class TestPods
{
    /// <summary>A busybox pod with an emptyDir at /data and a TCP echo server on port 7000.</summary>
    public static V1Pod Echo(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "busybox:latest",
                    ImagePullPolicy = "IfNotPresent",
                    Command = ["sh", "-c", "nc -ll -p 7000 -e /bin/cat"],
                    VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }],
                },
            ],
            Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() }],
            TerminationGracePeriodSeconds = 0,
        },
    };

    /// <summary>Waits until the pod is Running with its containers ready.</summary>
    public static async Task<V1Pod> WaitRunningAsync(IKubernetes client, string ns, string name, CancellationToken cancellationToken)
    {
        V1Pod? pod = null;
        await KSync.TestKit.Eventually.TrueAsync(
            async () =>
            {
                pod = await client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: cancellationToken);
                return pod.Status?.Phase == "Running" && pod.Status.ContainerStatuses?.All(c => c.Ready) == true;
            },
            TimeSpan.FromSeconds(60),
            $"pod {ns}/{name} to run",
            TimeSpan.FromMilliseconds(100));
        return pod!;
    }
}
