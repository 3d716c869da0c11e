using Grpc.Core;
using KSync.Radar.Runtimes;
using KSync.TestKit;

namespace KSync.Radar.Tests.Runtimes;

public sealed class SocketDiscoveryTests : IDisposable
{
    private readonly TempDirectory _host = new("ksync-host");

    [Fact]
    public void Find_UnderHostRoot_FindsStandardPathsInOrder()
    {
        _host.WriteFile("run/k3s/containerd/containerd.sock", string.Empty);
        _host.WriteFile("var/run/crio/crio.sock", string.Empty);
        var discovery = new SocketDiscovery(new RadarOptions { HostRoot = _host.Path + "/" });

        Assert.Equal(_host.Path + "/run/k3s/containerd/containerd.sock", discovery.Find(RuntimeKind.Containerd));
        Assert.Equal(_host.Path + "/var/run/crio/crio.sock", discovery.Find(RuntimeKind.CriO));
        Assert.Null(discovery.Find(RuntimeKind.Docker));

        _host.WriteFile("run/containerd/containerd.sock", string.Empty);
        Assert.Equal(_host.Path + "/run/containerd/containerd.sock", discovery.Find(RuntimeKind.Containerd));
    }

    [Fact]
    public void Find_ExplicitFlag_WinsAndIsUsedAsIs()
    {
        var discovery = new SocketDiscovery(new RadarOptions { HostRoot = _host.Path, DockerSocket = "/elsewhere/d.sock" });

        Assert.Equal(["/elsewhere/d.sock"], discovery.Candidates(RuntimeKind.Docker));
        Assert.Contains(_host.Path + "/run/docker.sock", new SocketDiscovery(new RadarOptions { HostRoot = _host.Path }).Candidates(RuntimeKind.Docker));
    }

    [Fact]
    public void Require_Missing_FailedPreconditionNamingThePathsTried()
    {
        var error = Assert.Throws<RpcException>(() => new SocketDiscovery(new RadarOptions { HostRoot = _host.Path }).Require(RuntimeKind.CriO));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains(_host.Path + "/run/crio/crio.sock", error.Status.Detail, StringComparison.Ordinal);
    }

    public void Dispose() => _host.Dispose();
}
