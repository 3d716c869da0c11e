using k8s;
using k8s.Models;
using KSync.Lab;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// The tests' pods in the lab (namespace <c>default</c>, busybox, container <c>app</c>) on the node of the runtime a test
/// picks, and the files inside their containers, read and written with <c>kubectl exec</c>.
/// </summary>
internal sealed class LabPods(E2EFixture fixture)
{
    /// <summary>The pods' namespace.</summary>
    public const string Namespace = "default";

    /// <summary>The shell script every pod runs unless told otherwise: counts its starts in /starts (outside the synced folders), makes /app and /app2, idles; exits at once on SIGTERM.</summary>
    public const string IdleScript = "trap 'exit 0' TERM; echo start >> /starts; mkdir -p /app /app2; while true; do sleep 1; done";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A unique name with <paramref name="prefix"/>, valid as pod name and label value.</summary>
    /// <param name="prefix">Short lower-case prefix.</param>
    /// <returns>The name.</returns>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>
    /// Creates a pod labelled <c>app=<paramref name="app"/></c> on the node of <paramref name="runtime"/> and waits until
    /// it runs. On containerd, /app and /app2 are emptyDir volumes: a containerd restart is a new container with a fresh
    /// root filesystem, so radar restarts only containers whose synced path is on a volume (radar/README.md).
    /// </summary>
    /// <param name="name">Pod name.</param>
    /// <param name="app">Value of the <c>app</c> label.</param>
    /// <param name="script">The container's <c>sh -c</c> script; default <see cref="IdleScript"/>.</param>
    /// <param name="runtime">The runtime of the node it runs on.</param>
    /// <param name="claim">A PersistentVolumeClaim to mount at /app instead, or null.</param>
    /// <returns>The running pod.</returns>
    public async Task<V1Pod> CreateAsync(string name, string app, string? script = null, NodeRuntime runtime = NodeRuntime.Docker, string? claim = null)
    {
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        if (claim is not null)
        {
            volumes.Add(new V1Volume { Name = "app", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } });
            mounts.Add(new V1VolumeMount { Name = "app", MountPath = "/app" });
        }
        else if (runtime == NodeRuntime.Containerd)
        {
            volumes.AddRange([new V1Volume { Name = "app", EmptyDir = new V1EmptyDirVolumeSource() }, new V1Volume { Name = "app2", EmptyDir = new V1EmptyDirVolumeSource() }]);
            mounts.AddRange([new V1VolumeMount { Name = "app", MountPath = "/app" }, new V1VolumeMount { Name = "app2", MountPath = "/app2" }]);
        }

        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new V1PodSpec
            {
                NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = fixture.Lab.NodeOf(runtime).Name },
                Tolerations = [new V1Toleration { Key = LabCluster.TaintKey, OperatorProperty = "Exists" }],
                Volumes = volumes,
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Image = "busybox:latest",
                        ImagePullPolicy = "IfNotPresent",
                        Command = ["sh", "-c", script ?? IdleScript],
                        VolumeMounts = mounts,
                    },
                ],
                TerminationGracePeriodSeconds = 0,
            },
        };
        await fixture.Client.CoreV1.CreateNamespacedPodAsync(pod, Namespace, cancellationToken: Token);
        return await WaitRunningAsync(name);
    }

    /// <summary>Waits until the pod is Running with its containers ready.</summary>
    /// <param name="name">Pod name.</param>
    /// <returns>The pod.</returns>
    public async Task<V1Pod> WaitRunningAsync(string name)
    {
        V1Pod? pod = null;
        await Eventually.TrueAsync(
            async () =>
            {
                pod = await fixture.Client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: Token);
                return pod.Status?.Phase == "Running" && pod.Status.ContainerStatuses?.All(c => c.Ready && c.ContainerID is not null) == true;
            },
            TimeSpan.FromSeconds(60),
            $"pod {name} to run",
            TimeSpan.FromMilliseconds(100));
        return pod!;
    }

    /// <summary>Deletes a pod and waits until it is gone from the API.</summary>
    /// <param name="name">Pod name.</param>
    /// <returns>A task.</returns>
    public async Task DeleteAsync(string name)
    {
        await fixture.Client.CoreV1.DeleteNamespacedPodAsync(name, Namespace, gracePeriodSeconds: 0, cancellationToken: Token);
        await Eventually.TrueAsync(
            async () => (await fixture.Client.CoreV1.ListNamespacedPodAsync(Namespace, fieldSelector: $"metadata.name={name}", cancellationToken: Token)).Items.Count == 0,
            TimeSpan.FromSeconds(60),
            $"pod {name} to be deleted",
            TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Gets the Docker ID of the pod's container <c>app</c> (without <c>docker://</c>).</summary>
    /// <param name="name">Pod name.</param>
    /// <returns>The container ID.</returns>
    public async Task<string> ContainerIdAsync(string name)
    {
        var pod = await fixture.Client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: Token);
        var id = pod.Status?.ContainerStatuses?.SingleOrDefault(c => c.Name == "app")?.ContainerID
            ?? throw new InvalidOperationException($"pod {name} has no container ID yet");
        return id[(id.IndexOf("://", StringComparison.Ordinal) + 3)..];
    }

    /// <summary>Gets the pod's node name.</summary>
    /// <param name="name">Pod name.</param>
    /// <returns>The node.</returns>
    public async Task<string> NodeAsync(string name)
        => (await fixture.Client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: Token)).Spec.NodeName;

    /// <summary>Gets the restartCount the lab's kubelet reports for container <c>app</c> (radar's docker restarts count).</summary>
    /// <param name="name">Pod name.</param>
    /// <returns>The restart count.</returns>
    public async Task<int> RestartCountAsync(string name)
    {
        var pod = await fixture.Client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: Token);
        return pod.Status?.ContainerStatuses?.SingleOrDefault(c => c.Name == "app")?.RestartCount ?? 0;
    }

    /// <summary>Reads a file inside the pod's container.</summary>
    /// <param name="name">Pod name.</param>
    /// <param name="path">Absolute path in the container.</param>
    /// <returns>The content, or null when the file does not exist.</returns>
    public async Task<string?> ReadAsync(string name, string path)
    {
        // base64, because the process output is captured line by line and would lose a missing final newline.
        var result = await ExecAsync(name, "sh", "-c", "[ -f \"$1\" ] && base64 \"$1\" || echo '<missing>'", "sh", path);
        result.EnsureSuccess();
        return result.Stdout == "<missing>\n" ? null : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(result.Stdout.ReplaceLineEndings(string.Empty)));
    }

    /// <summary>Writes a file inside the pod's container, as the app would.</summary>
    /// <param name="name">Pod name.</param>
    /// <param name="path">Absolute path in the container.</param>
    /// <param name="content">Text content.</param>
    /// <returns>A task.</returns>
    public async Task WriteAsync(string name, string path, string content)
        => (await ExecAsync(name, "sh", "-c", "mkdir -p \"$(dirname \"$2\")\" && printf '%s' \"$1\" > \"$2\"", "sh", content, path)).EnsureSuccess();

    /// <summary>Runs a command in the pod's container <c>app</c> through <c>kubectl exec</c>.</summary>
    /// <param name="name">Pod name.</param>
    /// <param name="command">Command and arguments.</param>
    /// <returns>The result (not checked).</returns>
    /// <remarks>While the container is between two runs (a reload restarts it) exec fails with "container not found", as on a cluster; that is retried for up to 30 s.</remarks>
    public async Task<ProcessResult> ExecAsync(string name, params string[] command)
    {
        ProcessResult? result = null;
        await Eventually.TrueAsync(
            async () =>
            {
                result = await ProcessRunner.RunAsync(
                    Requires.Tool("kubectl", "kubectl"),
                    ["--kubeconfig", fixture.Lab.KubeconfigPath, "--cache-dir", Path.Combine(fixture.Lab.RootDirectory, "kubectl-cache"), "exec", "-n", Namespace, name, "-c", "app", "--", .. command],
                    timeout: TimeSpan.FromSeconds(30),
                    cancellationToken: Token);
                return !result.Stderr.Contains("container not found", StringComparison.Ordinal) && !result.Stderr.Contains("is not running", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30),
            $"the container of {name} to run for exec",
            TimeSpan.FromMilliseconds(250));
        return result!;
    }

    /// <summary>Waits until a file in the container has exactly <paramref name="content"/> (null: until it is gone).</summary>
    /// <param name="name">Pod name.</param>
    /// <param name="path">Absolute path in the container.</param>
    /// <param name="content">Expected content, or null for absent.</param>
    /// <param name="because">What is awaited.</param>
    /// <returns>A task.</returns>
    public Task WaitFileAsync(string name, string path, string? content, string because)
        => Eventually.TrueAsync(async () => await ReadAsync(name, path) == content, TimeSpan.FromSeconds(45), because, TimeSpan.FromMilliseconds(150));
}
