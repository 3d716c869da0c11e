using Grpc.Core;
using KSync.Proto.Radar.V1;
using KSync.Radar.Runtimes.Cri.V1;
using KSync.Radar.Tests.Support;
using KSync.TestKit;

namespace KSync.Radar.Tests.Runtimes;

/// <summary>radar against a real containerd through the CRI: pods and containers created as the kubelet does.</summary>
[Collection("containerd")]
public sealed class ContainerdBackendTests(ContainerdFixture fixture) : IDisposable
{
    private readonly TempDirectory _volume = new("ksync-vol");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetBasePath_RootPath_IsTaskRootfsAndWritesAppearInContainer()
    {
        var (id, _) = await fixture.Pods.RunAsync("root-pod", cancellationToken: Ct);

        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Containerd(id), RemotePath = "/app" }, cancellationToken: Ct);

        var rootfs = Path.Combine(fixture.Engine.StateDirectory, "io.containerd.runtime.v2.task", "k8s.io", id, "rootfs");
        Assert.Equal("containerd", reply.Backend);
        Assert.Equal(rootfs, reply.ContainerRoot);
        Assert.Equal(rootfs + "/app", reply.NodePath);
        Assert.False(reply.OnVolume);
        Assert.False(reply.RestartKeepsFiles);
        Assert.True(reply.Pid > 0);
        await File.WriteAllTextAsync(Path.Combine(reply.NodePath, "hello.txt"), "from the node", Ct);
        Assert.Equal("from the node", await fixture.Pods.ExecAsync(id, "cat", "/app/hello.txt"));
    }

    [Fact]
    public async Task GetBasePath_PathOnVolume_IsMountSourceAndWritesAppearInContainer()
    {
        var (id, _) = await fixture.Pods.RunAsync("vol-pod", [new Mount { ContainerPath = "/data", HostPath = _volume.Path }], cancellationToken: Ct);

        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Containerd(id), RemotePath = "/data/src" }, cancellationToken: Ct);

        Assert.Equal("containerd", reply.Backend);
        Assert.True(reply.OnVolume);
        Assert.True(reply.RestartKeepsFiles);
        Assert.Equal("/data", reply.MountDestination);
        Assert.Equal(_volume.Path + "/src", reply.NodePath);
        Directory.CreateDirectory(reply.NodePath);
        await File.WriteAllTextAsync(Path.Combine(reply.NodePath, "v.txt"), "on the volume", Ct);
        Assert.Equal("on the volume", await fixture.Pods.ExecAsync(id, "cat", "/data/src/v.txt"));
    }

    [Fact]
    public async Task GetBasePath_SymlinkToAbsolutePath_StaysInsideContainerRoot()
    {
        var (id, _) = await fixture.Pods.RunAsync("link-pod", cancellationToken: Ct);
        await fixture.Pods.ExecAsync(id, "ln", "-s", "/etc", "/escape");

        var reply = await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Containerd(id), RemotePath = "/escape/passwd" }, cancellationToken: Ct);

        Assert.Equal(reply.ContainerRoot + "/etc/passwd", reply.NodePath);
        Assert.Contains("nobody:x:65534", await File.ReadAllTextAsync(reply.NodePath, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_PathOnVolume_StopsContainerAndVolumeKeepsFiles()
    {
        var (id, _) = await fixture.Pods.RunAsync("restart-vol", [new Mount { ContainerPath = "/data", HostPath = _volume.Path }], cancellationToken: Ct);
        var kept = _volume.WriteFile("kept.txt", "survives");

        var reply = await fixture.Radar.Client.RestartAsync(new RestartRequest { ContainerId = Ids.Containerd(id), RemotePath = "/data", TimeoutSeconds = 1 }, cancellationToken: Ct);

        Assert.Equal(RestartOutcome.Restarted, reply.Outcome);
        await Eventually.TrueAsync(async () => await fixture.Pods.StateAsync(id) == ContainerState.ContainerExited, TimeSpan.FromSeconds(20), "the container to stop (the kubelet would start a new one)");
        Assert.Equal("survives", await File.ReadAllTextAsync(kept, Ct));
    }

    [Fact]
    public async Task Restart_PathNotOnVolume_ReturnsUseSignalAndLeavesContainerRunning()
    {
        var (id, _) = await fixture.Pods.RunAsync("restart-root", cancellationToken: Ct);

        var reply = await fixture.Radar.Client.RestartAsync(new RestartRequest { ContainerId = Ids.Containerd(id), RemotePath = "/app" }, cancellationToken: Ct);
        var noPath = await fixture.Radar.Client.RestartAsync(new RestartRequest { ContainerId = Ids.Containerd(id) }, cancellationToken: Ct);

        Assert.Equal(RestartOutcome.UseSignal, reply.Outcome);
        Assert.Contains("not on a volume", reply.Reason, StringComparison.Ordinal);
        Assert.Equal(RestartOutcome.UseSignal, noPath.Outcome);
        Assert.Equal(ContainerState.ContainerRunning, await fixture.Pods.StateAsync(id));
    }

    [Fact]
    public async Task Signal_Hup_ReachesTheContainersTrap()
    {
        var (id, _) = await fixture.Pods.RunAsync(
            "signal-pod",
            [new Mount { ContainerPath = "/data", HostPath = _volume.Path }],
            ["/bin/sh", "-c", "trap 'echo got-hup > /data/hup' HUP; trap 'exit 0' TERM; while true; do sleep 1; done"],
            cancellationToken: Ct);

        var reply = await fixture.Radar.Client.SignalAsync(new SignalRequest { ContainerId = Ids.Containerd(id), Signal = "HUP" }, cancellationToken: Ct);

        Assert.True(reply.Pid > 0);
        var marker = Path.Combine(_volume.Path, "hup");
        await Eventually.TrueAsync(() => File.Exists(marker), TimeSpan.FromSeconds(10), "the container's HUP trap to write its marker");
        Assert.Equal("got-hup", (await File.ReadAllTextAsync(marker, Ct)).Trim());
    }

    [Fact]
    public async Task RestartAndSignal_ContainerWithoutPodLabels_PermissionDenied()
    {
        var (id, _) = await fixture.Pods.RunAsync("no-labels", podLabels: false, cancellationToken: Ct);

        var restart = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.RestartAsync(new RestartRequest { ContainerId = Ids.Containerd(id), RemotePath = "/app" }, cancellationToken: Ct));
        var signal = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.SignalAsync(new SignalRequest { ContainerId = Ids.Containerd(id), Signal = "HUP" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.PermissionDenied, restart.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, signal.StatusCode);
        Assert.Equal(ContainerState.ContainerRunning, await fixture.Pods.StateAsync(id));
    }

    [Theory]
    [InlineData("containerd://" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "/app", StatusCode.NotFound)]
    [InlineData("containerd://not-an-id", "/app", StatusCode.InvalidArgument)]
    [InlineData("containerd://0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "/app", StatusCode.InvalidArgument)]
    [InlineData("cri-o://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "/app", StatusCode.FailedPrecondition)]
    [InlineData("rkt://0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "/app", StatusCode.FailedPrecondition)]
    public async Task GetBasePath_BadOrUnknownId_IsRejected(string containerId, string remotePath, StatusCode expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = containerId, RemotePath = remotePath }, cancellationToken: Ct));

        Assert.Equal(expected, error.StatusCode);
    }

    [Theory]
    [InlineData("/..")]
    [InlineData("/app/../../etc")]
    [InlineData("app")]
    [InlineData("")]
    public async Task GetBasePath_PathClimbingOutOrRelative_InvalidArgument(string remotePath)
    {
        var (id, _) = await fixture.Pods.RunAsync("bad-path", cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Radar.Client.GetBasePathAsync(new GetBasePathRequest { ContainerId = Ids.Containerd(id), RemotePath = remotePath }, cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task GetRuntimeInfo_ReportsContainerdVersionAndSnapshotter()
    {
        var info = await fixture.Radar.Client.GetRuntimeInfoAsync(new GetRuntimeInfoRequest(), cancellationToken: Ct);

        var containerd = info.Backends.Single(b => b.Name == "containerd");
        Assert.True(containerd.Available, containerd.Error);
        Assert.Contains("containerd", containerd.Version, StringComparison.Ordinal);
        Assert.Equal("overlayfs", containerd.StorageDriver);
        Assert.Equal(fixture.Engine.SocketPath, containerd.Socket);
        Assert.Equal(fixture.Engine.DataRoot, containerd.RootDir);
        Assert.False(info.Backends.Single(b => b.Name == "cri-o").Available);
    }

    public void Dispose() => _volume.Dispose();
}
