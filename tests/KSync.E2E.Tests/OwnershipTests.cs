using System.Globalization;
using k8s;
using k8s.Models;
using KSync.Lab;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// Files the container can use (docs/architecture.md, "Files land usable"), through the published binaries on each
/// runtime: hardened pods valid under Pod Security "restricted" (non-root, no privilege escalation, every capability
/// dropped) as uid 1000 with the code in the root filesystem, uid 1000 with fsGroup 2000 on an emptyDir, an
/// OpenShift-like uid 1000680000 with gid 0 on an emptyDir, readOnlyRootFilesystem with the code on an emptyDir, and
/// readOnlyRootFilesystem with the code in the root filesystem. One watch syncs all five; in each (but the read-only
/// root, where the kernel refuses the app's writes as the pod asked) the app's user (<c>kubectl exec</c> runs as the
/// container's user) modifies and deletes synced files and creates files in synced
/// directories, a file it creates comes back owned by the local user, the exec bit survives both ways, and a local
/// edit reloads the container (restart on volumes, signal:HUP in the root filesystem).
/// </summary>
[Collection(E2EGroup.Name)]
public sealed class OwnershipTests(E2EFixture fixture)
{
    // The app traps HUP (a signal reload) and says so in its log; exits at once on TERM (a restart).
    private const string AppScript = "trap 'echo reloaded' HUP; trap 'exit 0' TERM; while true; do sleep 1; done";

    private readonly LabPods _pods = new(fixture);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(E2EFixture.Runtimes), MemberType = typeof(E2EFixture))]
    public async Task HardenedPods_AppUserWorksWithSyncedFiles_AndReloadWorks(NodeRuntime runtime)
    {
        fixture.Require();
        PodCase[] cases =
        [
            new("uid", 1000, 1000, null, OnVolume: false, ReadOnlyRoot: false),
            new("fsgroup", 1000, 1000, 2000, OnVolume: true, ReadOnlyRoot: false),
            new("openshift", 1000680000, 0, null, OnVolume: true, ReadOnlyRoot: false),
            new("rovolume", 1000, 1000, null, OnVolume: true, ReadOnlyRoot: true),
            new("rorootfs", 1000, 1000, null, OnVolume: false, ReadOnlyRoot: true),
        ];
        var tag = LabPods.Unique("own")[4..];
        await Task.WhenAll(cases.Select(c => CreatePodAsync(c.Pod(tag), c, runtime)));
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var localUser = (await ProcessRunner.RunAsync("id", ["-u"], cancellationToken: Token)).Stdout.Trim();
        foreach (var c in cases)
        {
            var local = session.LocalFolder(c.Name);
            File.WriteAllText(Path.Combine(local, "data.txt"), "local");
            File.WriteAllText(Path.Combine(local, "run.sh"), "#!/bin/sh\necho ran\n");
            File.SetUnixFileMode(Path.Combine(local, "run.sh"), (UnixFileMode)0x1ED);
            Directory.CreateDirectory(Path.Combine(local, "src"));
            File.WriteAllText(Path.Combine(local, "src", "lib.txt"), "lib");
            File.WriteAllText(Path.Combine(local, "src", "keep.txt"), "keep");
            await session.CreateAsync(local, "/app", "-l", $"app={c.Pod(tag)}", "--name", c.Name, "--reload-mode", c.OnVolume ? "restart" : "signal:HUP");
        }

        await session.StartWatchAsync();
        await Task.WhenAll(cases.Select(c => CheckAsync(session, c, c.Pod(tag), session.LocalFolder(c.Name), localUser)));

        // One spec, one line: the node could chown everywhere here, so get warns of nothing.
        var get = await session.Runner.RunAsync("get", "--port", session.Port.ToString(CultureInfo.InvariantCulture));
        Assert.True(get.ExitCode == 0 && !get.Stderr.Contains("Warning:", StringComparison.Ordinal), get.Output);
        var doctor = await session.Runner.RunAsync("doctor", "--ignore", "--port", session.Port.ToString(CultureInfo.InvariantCulture));
        foreach (var c in cases)
        {
            // Permissions only: doctor does not claim more than the owner and mode bits tell.
            Assert.Matches($@"\[ok\]\s+Owner of {c.Name} in default/{c.Pod(tag)}/app: /app gets {c.Uid}:{c.Group} \(.*\); the app runs as {c.Uid}:{c.Gid}", doctor.Stdout);
        }
    }

    private async Task CheckAsync(WatchSession session, PodCase c, string pod, string local, string localUser)
    {
        await session.WaitWatchingAsync(c.Name);
        await _pods.WaitFileAsync(pod, "/app/src/lib.txt", "lib", $"{c.Name}: the first sync");
        await WaitFirstReloadAsync(session, c, pod);
        var where = $"{c.Name} ({pod})";

        // Who the app is, and what it got: everything ksync created belongs to it, with local's modes.
        Assert.Equal($"{c.Uid}:{c.Gid}", (await ExecOkAsync(pod, "sh", "-c", "echo $(id -u):$(id -g)")).Trim());
        var owners = await ExecOkAsync(pod, "stat", "-c", "%n %u:%g %a", "/app", "/app/src", "/app/src/lib.txt", "/app/run.sh", "/app/data.txt");
        Assert.True(owners.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(l => l.Split(' ')[1] == $"{c.Uid}:{c.Group}"), $"{where}: owners\n{owners}");
        Assert.Contains("/app/run.sh " + $"{c.Uid}:{c.Group} 755", owners, StringComparison.Ordinal);
        Assert.Contains("/app/data.txt " + $"{c.Uid}:{c.Group} 644", owners, StringComparison.Ordinal);
        Assert.Equal("ran", (await ExecOkAsync(pod, "/app/run.sh")).Trim());

        if (c.ReadOnlyRoot && !c.OnVolume)
        {
            // The code lives in a read-only root filesystem: ksync writes through the node, the app itself cannot
            // write there (the kernel refuses, as the pod asked), so only the way in and the reload are checked.
            var refused = await _pods.ExecAsync(pod, "sh", "-c", "printf app > /app/data.txt");
            Assert.True(refused.ExitCode != 0 && refused.Output.Contains("Read-only file system", StringComparison.Ordinal), $"{where}: the app wrote into its read-only root: {refused.Output}");
            await CheckReloadAsync(c, pod, local, where, "local");
            return;
        }

        // The app modifies and deletes synced files and creates files in synced directories; all of it comes back.
        await ExecOkAsync(pod, "sh", "-c", "printf app > /app/data.txt && rm /app/src/lib.txt && printf new > /app/src/new.txt && printf '#!/bin/sh\\necho made\\n' > /app/made.sh && chmod 755 /app/made.sh && mkdir /app/src/gen && printf gen > /app/src/gen/out.txt");
        await SyncTests.WaitLocalAsync(Path.Combine(local, "data.txt"), "app", $"{where}: the app's edit to come back");
        await SyncTests.WaitLocalAsync(Path.Combine(local, "src", "new.txt"), "new", $"{where}: the app's new file to come back");
        await SyncTests.WaitLocalAsync(Path.Combine(local, "src", "gen", "out.txt"), "gen", $"{where}: the app's new directory to come back");
        await SyncTests.WaitLocalAsync(Path.Combine(local, "made.sh"), "#!/bin/sh\necho made\n", $"{where}: the app's script to come back");
        await Eventually.TrueAsync(() => Task.FromResult(!File.Exists(Path.Combine(local, "src", "lib.txt"))), TimeSpan.FromSeconds(30), $"{where}: the app's delete to come back", TimeSpan.FromMilliseconds(150));
        var localOwners = (await ProcessRunner.RunAsync("stat", ["-c", "%u %a", Path.Combine(local, "src", "new.txt"), Path.Combine(local, "made.sh"), Path.Combine(local, "src", "gen")], cancellationToken: Token)).Stdout;
        Assert.True(localOwners.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(l => l.Split(' ')[0] == localUser), $"{where}: local owners\n{localOwners}");
        Assert.True((File.GetUnixFileMode(Path.Combine(local, "made.sh")) & UnixFileMode.UserExecute) != 0, $"{where}: the exec bit of the app's script was lost locally ({localOwners})");
        Assert.Equal("keep", File.ReadAllText(Path.Combine(local, "src", "keep.txt")));

        await CheckReloadAsync(c, pod, local, where, "app");
        Assert.Equal("made", (await ExecOkAsync(pod, "/app/made.sh")).Trim());
    }

    // A local edit reaches the app and reloads it; the data file keeps its last content across the reload.
    private async Task CheckReloadAsync(PodCase c, string pod, string local, string where, string data)
    {
        var reloads = await ReloadsAsync(c, pod);
        File.WriteAllText(Path.Combine(local, "src", "keep.txt"), "edited");
        await _pods.WaitFileAsync(pod, "/app/src/keep.txt", "edited", $"{where}: the local edit in the container");
        await Eventually.TrueAsync(async () => await ReloadsAsync(c, pod) > reloads, TimeSpan.FromSeconds(30), $"{where}: the edit to reload the container", TimeSpan.FromMilliseconds(250));
        await _pods.WaitRunningAsync(pod);
        Assert.Equal(data, await _pods.ReadAsync(pod, "/app/data.txt"));
        Assert.Equal("ran", (await ExecOkAsync(pod, "/app/run.sh")).Trim());
    }

    private async Task WaitFirstReloadAsync(WatchSession session, PodCase c, string pod)
    {
        await Eventually.TrueAsync(async () => await ReloadsAsync(c, pod) >= 1, TimeSpan.FromSeconds(30), $"{c.Name}: the reload after the first sync", TimeSpan.FromMilliseconds(200));
        await _pods.WaitRunningAsync(pod);
        await session.WaitWatchingAsync(c.Name);
    }

    // Restarts count in the pod status; signals in the app's log.
    private async Task<int> ReloadsAsync(PodCase c, string pod)
    {
        if (c.OnVolume)
        {
            return await _pods.RestartCountAsync(pod);
        }

        using var stream = await fixture.Client.CoreV1.ReadNamespacedPodLogAsync(pod, LabPods.Namespace, container: "app", cancellationToken: Token);
        using var reader = new StreamReader(stream);
        var log = await reader.ReadToEndAsync(Token);
        return log.Split('\n').Count(l => l == "reloaded");
    }

    private async Task<string> ExecOkAsync(string pod, params string[] command)
    {
        var result = await _pods.ExecAsync(pod, command);
        Assert.True(result.ExitCode == 0, $"{pod}: {string.Join(' ', command)} failed: {result.Output}");
        return result.Stdout;
    }

    private async Task CreatePodAsync(string name, PodCase c, NodeRuntime runtime)
    {
        var volumes = new List<V1Volume> { new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() } };
        var mounts = new List<V1VolumeMount> { new() { Name = "tmp", MountPath = "/tmp" } };
        if (c.OnVolume)
        {
            volumes.Add(new V1Volume { Name = "app", EmptyDir = new V1EmptyDirVolumeSource() });
            mounts.Add(new V1VolumeMount { Name = "app", MountPath = "/app" });
        }

        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
            Spec = new V1PodSpec
            {
                NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = fixture.Lab.NodeOf(runtime).Name },
                Tolerations = [new V1Toleration { Key = LabCluster.TaintKey, OperatorProperty = "Exists" }],
                SecurityContext = new V1PodSecurityContext { RunAsUser = c.Uid, RunAsGroup = c.Gid, FsGroup = c.FsGroup, RunAsNonRoot = true },
                Volumes = volumes,
                Containers =
                [
                    new V1Container
                    {
                        Name = "app",
                        Image = "busybox:latest",
                        ImagePullPolicy = "IfNotPresent",
                        Command = ["sh", "-c", AppScript],
                        VolumeMounts = mounts,
                        SecurityContext = new V1SecurityContext
                        {
                            AllowPrivilegeEscalation = false,
                            ReadOnlyRootFilesystem = c.ReadOnlyRoot,
                            Capabilities = new V1Capabilities { Drop = ["ALL"] },
                        },
                    },
                ],
                TerminationGracePeriodSeconds = 0,
            },
        };
        await fixture.Client.CoreV1.CreateNamespacedPodAsync(pod, LabPods.Namespace, cancellationToken: Token);
        await _pods.WaitRunningAsync(name);
    }

    /// <summary>One hardened pod.</summary>
    /// <param name="Name">Spec name and pod name prefix.</param>
    /// <param name="Uid">runAsUser.</param>
    /// <param name="Gid">runAsGroup.</param>
    /// <param name="FsGroup">fsGroup, or null.</param>
    /// <param name="OnVolume">Whether /app is an emptyDir (else in the root filesystem; ksync creates it).</param>
    /// <param name="ReadOnlyRoot">readOnlyRootFilesystem.</param>
    private sealed record PodCase(string Name, long Uid, long Gid, long? FsGroup, bool OnVolume, bool ReadOnlyRoot)
    {
        /// <summary>Gets the group the synced files get: the fsGroup volume's, else the app's.</summary>
        public long Group => FsGroup ?? Gid;

        public string Pod(string tag) => $"{Name}-{tag}";
    }
}
