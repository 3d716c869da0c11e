using Grpc.Core;
using KSync.Radar.Reload;
using KSync.Radar.Runtimes;

namespace KSync.Radar.Tests.Reload;

public sealed class ReloadPolicyTests
{
    private static readonly OwnPod s_self = new("uid-radar", "ksync-x1", "ksync");

    [Fact]
    public void EnsureAllowed_AppContainerOfAnotherPod_Passes()
    {
        new ReloadPolicy(s_self).EnsureAllowed(Container(Pod("api-1", "default", "uid-1")));
    }

    [Theory]
    [InlineData(null, "default", "uid-1")]
    [InlineData("api-1", null, "uid-1")]
    [InlineData("api-1", "default", null)]
    [InlineData("", "default", "uid-1")]
    public void EnsureAllowed_MissingPodLabel_PermissionDenied(string? name, string? ns, string? uid)
    {
        var error = Assert.Throws<RpcException>(() => new ReloadPolicy(s_self).EnsureAllowed(Container(Pod(name, ns, uid))));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public void EnsureAllowed_RadarsOwnPodByUidOrName_PermissionDenied()
    {
        var policy = new ReloadPolicy(s_self);

        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => policy.EnsureAllowed(Container(Pod("renamed", "other", "uid-radar")))).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => policy.EnsureAllowed(Container(Pod("ksync-x1", "ksync", "uid-other")))).StatusCode);
        new ReloadPolicy(OwnPod.None).EnsureAllowed(Container(Pod("ksync-x1", "ksync", "uid-radar")));
    }

    [Fact]
    public void EnsureAllowed_PodSandbox_PermissionDenied()
    {
        var labels = Pod("api-1", "default", "uid-1");
        labels[ReloadPolicy.ContainerNameLabel] = "POD";

        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => new ReloadPolicy(s_self).EnsureAllowed(Container(labels))).StatusCode);
    }

    private static Dictionary<string, string> Pod(string? name, string? ns, string? uid)
    {
        var labels = new Dictionary<string, string>();
        if (name is not null)
        {
            labels[ReloadPolicy.PodNameLabel] = name;
        }

        if (ns is not null)
        {
            labels[ReloadPolicy.PodNamespaceLabel] = ns;
        }

        if (uid is not null)
        {
            labels[ReloadPolicy.PodUidLabel] = uid;
        }

        labels[ReloadPolicy.ContainerNameLabel] = "app";
        return labels;
    }

    private static ContainerDetails Container(Dictionary<string, string> labels)
        => new(new ContainerRef(RuntimeKind.Docker, new string('d', 64)), true, 100, "/x", [], labels);
}
