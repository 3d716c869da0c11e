using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using KSync.Distribution.Tests.Infrastructure;
using KSync.Lab;
using KSync.Plugin.Cluster;
using KSync.Plugin.Commands;
using KSync.TestKit;

namespace KSync.Distribution.Tests.Feature;

/// <summary>
/// The whole dev container path as a new user takes it, against the lab: <c>devcontainer up</c> of a project that uses
/// the feature from a local copy with a release archive (no registry is reachable), on a plain Debian minbase image
/// (no libssl, no CA certificates, no procps) with host networking and the lab's kubeconfig mounted, and the project's
/// spec file committed as <c>.devcontainer/ksync.yaml</c> with a relative local path. Nobody types a command in the
/// container: the watch starts, syncs, and edits land in the pod; after <c>docker restart</c> (no Dev Containers tool
/// involved) it watches again; <c>clean --local</c> stops it; and when the binary cannot start (libssl removed) the
/// reason is in the autostart log.
/// </summary>
[Collection(DebianGroup.Name)]
public sealed class DevContainerUpLabTests(DebianFixture debian)
{
    private const string Namespace = "default";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Up_ProjectWithSpecFile_WatchesWithoutACommand_SurvivesDockerRestart_AndReportsABrokenBinary()
    {
        debian.Require();
        var cli = DevcontainerCli.Require();
        var lab = await debian.LabAsync();
        using var connection = KubeClientFactory.Create(new GlobalSettings(lab.KubeconfigPath, null, Namespace, null, null), _ => null);
        var app = $"dc-{Guid.NewGuid():N}"[..11];
        await CreatePodAsync(connection.Client, app);
        using var work = new TempDirectory("ksync-devcontainer-up");
        var workspace = WriteProject(work, app, lab.KubeconfigPath);
        string? container = null;
        try
        {
            var up = await Shell.RunAsync(
                cli,
                ["up", "--workspace-folder", workspace],
                new Dictionary<string, string?> { ["DOCKER_HOST"] = debian.Engine.Endpoint, ["PATH"] = $"{DockerWrapper.Write(work)}:{Environment.GetEnvironmentVariable("PATH")}" },
                timeout: TimeSpan.FromMinutes(6));
            Assert.True(up.ExitCode == 0, up.Output);
            container = JsonDocument.Parse(up.Stdout.Trim().Split('\n')[^1]).RootElement.GetProperty("containerId").GetString()!;

            // Watching, with the project's spec, and nothing typed in the container.
            var first = await WaitWatchingAsync(container, app);
            var get = (await debian.ExecAsync(container, "kubectl-ksync get -o json")).Stdout;
            Assert.Contains("\"source\": \"project\"", get, StringComparison.Ordinal);
            Assert.Contains("\"sourcePath\": \"/workspaces/workspace/.devcontainer/ksync.yaml\"", get, StringComparison.Ordinal);
            Assert.Contains("\"localPath\": \"/workspaces/workspace/src\"", get, StringComparison.Ordinal);
            await WaitPodFileAsync(lab, app, "hello.txt", "from the workspace");
            File.WriteAllText(Path.Combine(workspace, "src", "hello.txt"), "edited in the workspace");
            await WaitPodFileAsync(lab, app, "hello.txt", "edited in the workspace");

            // A plain docker restart: only the feature's entrypoint runs.
            (await debian.DockerAsync(["restart", "-t", "2", container])).EnsureSuccess();
            var second = await WaitWatchingAsync(container, app);
            Assert.NotEqual(first, second);
            Assert.Contains("container start (entrypoint, as root)", await AutostartLogAsync(container), StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(workspace, "src", "after-restart.txt"), "still syncing");
            await WaitPodFileAsync(lab, app, "after-restart.txt", "still syncing");

            // clean --local in an image without procps (no `kill` command).
            Assert.Equal(0, (await debian.ExecAsync(container, "test ! -e /bin/kill && test ! -e /usr/bin/kill")).ExitCode);
            var clean = await debian.ExecAsync(container, "kubectl-ksync clean --local");
            Assert.True(clean.ExitCode == 0, clean.Output);
            Assert.Equal($"Stopped the background watch (pid {second}).\n", clean.Stdout);
            Assert.Equal(0, (await debian.ExecAsync(container, $"! grep -qs '^State:[[:space:]]*[^Z]' /proc/{second}/status")).ExitCode);

            // A binary that cannot start: the runtime's own abort must reach the autostart log.
            (await debian.ExecAsync(container, "rm -f /usr/lib/*/libssl.so.3 /lib/*/libssl.so.3")).EnsureSuccess();
            (await debian.DockerAsync(["restart", "-t", "2", container])).EnsureSuccess();
            string log = string.Empty;
            await Eventually.TrueAsync(
                async () => (log = await AutostartLogAsync(container)).Contains("exited before it was ready", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60),
                "the autostart log to report the failed start");
            Assert.Contains("No usable version of libssl was found", log, StringComparison.Ordinal);
            Assert.Contains("(killed by signal 6 (SIGABRT))", log, StringComparison.Ordinal);
        }
        finally
        {
            if (container is not null)
            {
                await debian.DockerAsync(["rm", "-f", container]);
            }

            await connection.Client.CoreV1.DeleteNamespacedPodAsync(app, Namespace, gracePeriodSeconds: 0, cancellationToken: Ct);
        }
    }

    /// <summary>The workspace: the feature as a local copy with the release archive, the project's spec file, src/.</summary>
    private string WriteProject(TempDirectory work, string app, string kubeconfig)
    {
        var workspace = work.Combine("workspace");
        var feature = Path.Combine(workspace, ".devcontainer", "ksync");
        foreach (var file in Directory.EnumerateFiles(DebianFixture.FeatureSource))
        {
            Directory.CreateDirectory(feature);
            File.Copy(file, Path.Combine(feature, Path.GetFileName(file)));
            File.SetUnixFileMode(Path.Combine(feature, Path.GetFileName(file)), File.GetUnixFileMode(file));
        }

        Directory.CreateDirectory(Path.Combine(feature, "dist"));
        foreach (var file in Directory.GetFiles(debian.Dist, "kubectl-ksync_*").Append(Path.Combine(debian.Dist, "checksums.txt")))
        {
            File.Copy(file, Path.Combine(feature, "dist", Path.GetFileName(file)));
        }

        // installKubectl is off: dl.k8s.io is not reachable, and the watch does not need kubectl.
        work.WriteFile("workspace/.devcontainer/devcontainer.json", $$"""
            {
              "image": "{{DebianRootfs.Image}}",
              "features": { "./ksync": { "pluginArchive": "dist", "installKubectl": false } },
              "runArgs": ["--network=host"],
              "containerEnv": { "KSYNC_PORT": "{{FreePort.Next()}}" },
              "mounts": [ "source={{kubeconfig}},target=/root/.kube/config,type=bind,readonly" ]
            }
            """);
        work.WriteFile("workspace/.devcontainer/ksync.yaml", $"""
            spec:
            - name: {app}
              selector:
              - app={app}
              namespace: {Namespace}
              localpath: ../src
              remotepath: /app
              reload: false
            """);
        work.WriteFile("workspace/src/hello.txt", "from the workspace");
        return workspace;
    }

    private static async Task CreatePodAsync(Kubernetes client, string app)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = app, Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", Image = "busybox:latest", ImagePullPolicy = "IfNotPresent", Command = ["sh", "-c", "trap 'exit 0' TERM; mkdir -p /app; while true; do sleep 1; done"] }],
                TerminationGracePeriodSeconds = 0,
            },
        };
        await client.CoreV1.CreateNamespacedPodAsync(pod, Namespace, cancellationToken: Ct);
    }

    /// <summary>Waits until <c>get -o json</c> in the container shows the spec's one container watching at 100 %; returns the watch's PID.</summary>
    private async Task<int> WaitWatchingAsync(string container, string spec)
    {
        var last = string.Empty;
        await Eventually.TrueAsync(
            async () =>
            {
                last = (await debian.ExecAsync(container, "kubectl-ksync get -o json")).Stdout;
                using var json = JsonDocument.Parse(last.Length == 0 ? "{}" : last);
                return json.RootElement.TryGetProperty("items", out var items)
                    && items.EnumerateArray().SingleOrDefault(i => i.GetProperty("name").GetString() == spec) is { ValueKind: JsonValueKind.Object } item
                    && item.GetProperty("services").EnumerateArray().ToList() is [var service]
                    && service.GetProperty("status").GetString() == "watching"
                    && service.GetProperty("initialSyncPercent").GetDouble() >= 100;
            },
            TimeSpan.FromSeconds(120),
            $"spec {spec} to watch its container (last get: {last}; autostart log: {await AutostartLogAsync(container)})",
            TimeSpan.FromMilliseconds(500));
        return int.Parse((await debian.ExecAsync(container, "cat /root/.ksync/daemon.pid")).EnsureSuccess().Stdout.Trim(), CultureInfo.InvariantCulture);
    }

    private async Task<string> AutostartLogAsync(string container)
        => (await debian.ExecAsync(container, "cat /root/.ksync/autostart.log 2>/dev/null; true")).Stdout;

    /// <summary>Waits until the pod's container has <c>/app/NAME</c> with <paramref name="content"/> (read with <c>kubectl exec</c>, on whichever node the pod runs).</summary>
    private static async Task WaitPodFileAsync(LabCluster lab, string pod, string name, string content)
    {
        await Eventually.TrueAsync(
            async () =>
            {
                var result = await ProcessRunner.RunAsync(
                    Requires.Tool("kubectl", "kubectl"),
                    ["--kubeconfig", lab.KubeconfigPath, "exec", "-n", Namespace, pod, "-c", "app", "--", "cat", $"/app/{name}"],
                    timeout: TimeSpan.FromSeconds(30),
                    cancellationToken: Ct);
                return result.ExitCode == 0 && result.Stdout.TrimEnd('\n') == content;
            },
            TimeSpan.FromSeconds(60),
            $"/app/{name} in pod {pod} to read '{content}'",
            TimeSpan.FromMilliseconds(200));
    }
}
