using Grpc.Core;
using KSync.Proto.Radar.V1;
using KSync.Radar.Tests.Support;
using KSync.TestKit;

namespace KSync.Radar.Tests.Runtimes;

/// <summary>radar against a real (private) Docker engine, through radar's gRPC interface.</summary>
[Collection("docker")]
public sealed class DockerBackendTests(DockerFixture fixture) : IDisposable
{
    private readonly TempDirectory _bind = new("ksync-bind");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Name(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task GetBasePath_RootPath_IsMergedDirAndWritesAppearInContainer()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("root"));
        var merged = await fixture.Engine.CliOkAsync("inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", id);

        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/app/src/" }, cancellationToken: Ct);

        Assert.Equal("docker", reply.Backend);
        Assert.Equal(merged, reply.ContainerRoot);
        Assert.Equal(merged + "/app/src", reply.NodePath);
        Assert.False(reply.OnVolume);
        Assert.True(reply.RestartKeepsFiles);
        Directory.CreateDirectory(reply.NodePath);
        await File.WriteAllTextAsync(Path.Combine(reply.NodePath, "main.txt"), "synced", Ct);
        Assert.Equal("synced", await fixture.Engine.CliOkAsync("exec", id, "cat", "/app/src/main.txt"));
    }

    [Fact]
    public async Task GetBasePath_PathOnNamedVolume_IsVolumeSource()
    {
        var volume = Name("vol");
        var id = await fixture.Engine.RunContainerAsync(Name("volc"), extraArgs: ["-v", $"{volume}:/data"]);
        var source = await fixture.Engine.CliOkAsync("volume", "inspect", "-f", "{{.Mountpoint}}", volume);

        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/data/x" }, cancellationToken: Ct);

        Assert.Equal("docker", reply.Backend);
        Assert.True(reply.OnVolume);
        Assert.Equal("/data", reply.MountDestination);
        Assert.Equal(source + "/x", reply.NodePath);
        Directory.CreateDirectory(reply.NodePath);
        await File.WriteAllTextAsync(Path.Combine(reply.NodePath, "v.txt"), "volume", Ct);
        Assert.Equal("volume", await fixture.Engine.CliOkAsync("exec", id, "cat", "/data/x/v.txt"));
    }

    [Fact]
    public async Task GetBasePath_PathOnBindMount_IsBindSource()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("bind"), extraArgs: ["-v", $"{_bind.Path}:/srv/code"]);

        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/srv/code" }, cancellationToken: Ct);

        Assert.True(reply.OnVolume);
        Assert.Equal(_bind.Path, reply.NodePath);
        Assert.Equal("/srv/code", reply.MountDestination);
    }

    [Fact]
    public async Task GetBasePath_SymlinkOutOfContainer_StaysInsideContainerRoot()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("link"));
        await fixture.Engine.CliOkAsync("exec", id, "ln", "-s", "../../../../../../etc", "/app/up");

        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/app/up/passwd" }, cancellationToken: Ct);

        Assert.Equal(reply.ContainerRoot + "/etc/passwd", reply.NodePath);
        Assert.Equal("/etc/passwd", reply.ContainerPath);
        Assert.Contains("nobody:x:65534", await File.ReadAllTextAsync(reply.NodePath, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_KeepsFilesWrittenIntoRoot()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("restart"));
        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/app" }, cancellationToken: Ct);
        await File.WriteAllTextAsync(Path.Combine(reply.NodePath, "kept.txt"), "kept", Ct);
        var startedBefore = await fixture.Engine.CliOkAsync("inspect", "-f", "{{.State.StartedAt}}", id);

        var restart = await fixture.Radar.Client.RestartAsync(new RestartRequest { ContainerId = Ids.Docker(id), RemotePath = "/app", TimeoutSeconds = 1 }, cancellationToken: Ct);

        Assert.Equal(RestartOutcome.Restarted, restart.Outcome);
        Assert.NotEqual(startedBefore, await fixture.Engine.CliOkAsync("inspect", "-f", "{{.State.StartedAt}}", id));
        Assert.Equal("kept", await fixture.Engine.CliOkAsync("exec", id, "cat", "/app/kept.txt"));
    }

    [Fact]
    public async Task Signal_Usr1_ReachesTheContainersTrap()
    {
        var id = await fixture.Engine.RunContainerAsync(
            Name("sig"),
            command: ["sh", "-c", "trap 'echo got-usr1 > /tmp/usr1' USR1; trap 'exit 0' TERM; while true; do sleep 1; done"]);

        var reply = await fixture.Radar.Client.SignalAsync(new SignalRequest { ContainerId = Ids.Docker(id), Signal = "SIGUSR1" }, cancellationToken: Ct);

        Assert.True(reply.Pid > 0);
        await Eventually.TrueAsync(
            async () => (await fixture.Engine.CliAsync(["exec", id, "cat", "/tmp/usr1"], cancellationToken: Ct)).Stdout.Trim() == "got-usr1",
            TimeSpan.FromSeconds(10),
            "the USR1 trap to write its marker");
    }

    [Fact]
    public async Task RestartAndSignal_ContainerOutsideAnyPod_PermissionDenied()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("system"), podName: null);
        var startedBefore = await fixture.Engine.CliOkAsync("inspect", "-f", "{{.State.StartedAt}}", id);

        var restart = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.RestartAsync(new RestartRequest { ContainerId = Ids.Docker(id) }, cancellationToken: Ct));
        var signal = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.SignalAsync(new SignalRequest { ContainerId = Ids.Docker(id), Signal = "TERM" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.PermissionDenied, restart.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, signal.StatusCode);
        Assert.Contains("does not belong to a Kubernetes pod", restart.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(startedBefore, await fixture.Engine.CliOkAsync("inspect", "-f", "{{.State.StartedAt}}", id));
        Assert.Equal("true", await fixture.Engine.CliOkAsync("inspect", "-f", "{{.State.Running}}", id));
    }

    [Fact]
    public async Task RestartAndSignal_RadarsOwnPod_PermissionDenied()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("own"), podName: "ksync-abcde");
        var uid = await fixture.Engine.CliOkAsync("inspect", "-f", "{{index .Config.Labels \"io.kubernetes.pod.uid\"}}", id);
        await using var radar = await DockerFixture.StartRadarAsync(new RadarOptions { DockerSocket = fixture.Engine.SocketPath, Self = new OwnPod(uid, "ksync-abcde", "default") });

        var restart = await Assert.ThrowsAsync<RpcException>(async () => await radar.Client.RestartAsync(new RestartRequest { ContainerId = Ids.Docker(id) }, cancellationToken: Ct));
        var signal = await Assert.ThrowsAsync<RpcException>(async () => await radar.Client.SignalAsync(new SignalRequest { ContainerId = Ids.Docker(id), Signal = "HUP" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.PermissionDenied, restart.StatusCode);
        Assert.Contains("radar's own pod", signal.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker://" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", StatusCode.NotFound)]
    [InlineData("docker://0123456789abcdef", StatusCode.InvalidArgument)]
    [InlineData("docker://../../etc/passwd", StatusCode.InvalidArgument)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", StatusCode.InvalidArgument)]
    [InlineData("", StatusCode.InvalidArgument)]
    [InlineData("containerd://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", StatusCode.FailedPrecondition)]
    public async Task AllCalls_BadOrUnknownId_AreRejected(string containerId, StatusCode expected)
    {
        var basePath = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = containerId, RemotePath = "/app" }, cancellationToken: Ct));
        var restart = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.RestartAsync(new RestartRequest { ContainerId = containerId }, cancellationToken: Ct));
        var signal = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.SignalAsync(new SignalRequest { ContainerId = containerId, Signal = "HUP" }, cancellationToken: Ct));

        Assert.Equal(expected, basePath.StatusCode);
        Assert.Equal(expected, restart.StatusCode);
        Assert.Equal(expected, signal.StatusCode);
    }

    [Theory]
    [InlineData("/..")]
    [InlineData("/app/../..")]
    [InlineData("/app/../../../etc/shadow")]
    [InlineData("relative/path")]
    [InlineData("./app")]
    [InlineData("/app/\0/x")]
    public async Task GetBasePath_PathClimbingOutOrMalformed_InvalidArgument(string remotePath)
    {
        var id = await fixture.Engine.RunContainerAsync(Name("badpath"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = remotePath }, cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Theory]
    [InlineData("NOPE")]
    [InlineData("65")]
    [InlineData("0")]
    [InlineData("")]
    public async Task Signal_UnknownSignal_InvalidArgument(string signal)
    {
        var id = await fixture.Engine.RunContainerAsync(Name("badsig"));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.SignalAsync(new SignalRequest { ContainerId = Ids.Docker(id), Signal = signal }, cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task GetBasePath_StoppedContainer_FailedPrecondition()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("stopped"));
        await fixture.Engine.CliOkAsync("stop", "-t", "1", id);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/app" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("not running", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetBasePath_DockerSocketNotAnswering_Unavailable()
    {
        using var dir = new TempDirectory("ksync-dead");
        var dead = Path.Combine(dir.Path, "docker.sock");
        // Bound but never listening: the socket file exists and every connect is refused (a crashed daemon).
        using var bound = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        bound.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(dead));

        await using var radar = await DockerFixture.StartRadarAsync(new RadarOptions { DockerSocket = dead, RuntimeTimeout = TimeSpan.FromSeconds(3) });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(Ids.Unknown), RemotePath = "/app" }, cancellationToken: Ct));
        var info = await radar.Client.GetRuntimeInfoAsync(new GetRuntimeInfoRequest(), cancellationToken: Ct);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.False(info.Backends.Single(b => b.Name == "docker").Available);
    }

    [Fact]
    public async Task GetRuntimeInfo_ReportsDockerVersionAndStorage()
    {
        var info = await fixture.Radar.Client.GetRuntimeInfoAsync(new GetRuntimeInfoRequest(), cancellationToken: Ct);

        var docker = info.Backends.Single(b => b.Name == "docker");
        Assert.True(docker.Available, docker.Error);
        Assert.Equal("overlay2", docker.StorageDriver);
        Assert.Equal(fixture.Engine.SocketPath, docker.Socket);
        Assert.Equal(fixture.Engine.DataRoot, docker.RootDir);
        Assert.False(string.IsNullOrEmpty(docker.ApiVersion));
        Assert.False(info.Backends.Single(b => b.Name == "containerd").Available);
        Assert.True(info.Backends.Single(b => b.Name == "proc").Available);
    }

    [Fact]
    public async Task GetBasePath_PreferProcRoot_AnswersThroughProcWithSameFiles()
    {
        var id = await fixture.Engine.RunContainerAsync(Name("proc"));
        await using var radar = await DockerFixture.StartRadarAsync(new RadarOptions { DockerSocket = fixture.Engine.SocketPath, PreferProcRoot = true });

        var reply = await radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Docker(id), RemotePath = "/app" }, cancellationToken: Ct);

        Assert.Equal("proc", reply.Backend);
        Assert.Equal($"/proc/{reply.Pid}/root", reply.ContainerRoot);
        Assert.Equal($"/proc/{reply.Pid}/root/app", reply.NodePath);
        await File.WriteAllTextAsync(Path.Combine(reply.NodePath, "p.txt"), "through proc", Ct);
        Assert.Equal("through proc", await fixture.Engine.CliOkAsync("exec", id, "cat", "/app/p.txt"));
    }

    public void Dispose() => _bind.Dispose();
}
