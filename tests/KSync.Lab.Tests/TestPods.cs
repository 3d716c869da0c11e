using k8s;
using k8s.Models;

namespace KSync.Lab.Tests;

/// <summary>Pods the tests create in the lab.</summary>
internal static class TestPods
{
    /// <summary>
    /// A TCP echo server on port 7000 (busybox nc, a cat per connection) with a listen queue of 64. busybox nc's
    /// backlog is the number of -l flags (its nc.c: xlisten(sfd, do_listen)), so the usual -ll queues 2: a burst of
    /// connects beyond that overflows it, the kernel drops the SYN or the handshake's last ACK, and TCP retries after
    /// 1 s, 3 s, 7 s… — one connection of 50 then waits tens of seconds for its echo.
    /// </summary>
    public static readonly string EchoCommand = $"nc -{new string('l', EchoBacklog)} -p 7000 -e /bin/cat";

    /// <summary>The echo server's listen queue: at least the most connections a test opens at once.</summary>
    public const int EchoBacklog = 64;

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
                    Command = ["sh", "-c", EchoCommand],
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
