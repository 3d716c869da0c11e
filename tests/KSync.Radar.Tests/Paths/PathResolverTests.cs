using Grpc.Core;
using KSync.Radar.Paths;
using KSync.Radar.Runtimes;
using KSync.TestKit;

namespace KSync.Radar.Tests.Paths;

/// <summary>The resolver on real directory trees: a fake container root, mounts and a fake procfs.</summary>
public sealed class PathResolverTests : IDisposable
{
    private static readonly ContainerRef s_ref = new(RuntimeKind.Containerd, new string('c', 64));

    private readonly TempDirectory _dir = new("ksync-resolver");

    public PathResolverTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "app", "src"));
        Directory.CreateDirectory(Path.Combine(Root, "etc"));
        Directory.CreateDirectory(Volume);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "host-secret"));
    }

    private string Root => _dir.Combine("root");

    private string Volume => _dir.Combine("volume");

    [Fact]
    public void Resolve_PlainPath_IsRootJoinedWithPath()
    {
        var resolved = Resolve(Details(), "/app/src/new/file");

        Assert.Equal(Root + "/app/src/new/file", resolved.NodePath);
        Assert.Equal("containerd", resolved.Backend);
        Assert.False(resolved.OnVolume);
        Assert.Equal(Root, resolved.ContainerRoot);
    }

    [Fact]
    public void Resolve_Root_IsContainerRoot()
    {
        Assert.Equal(Root, Resolve(Details(), "/").NodePath);
    }

    [Fact]
    public void Resolve_PathOnMount_IsMountSourceJoinedWithRest()
    {
        var details = Details(mounts: [new ContainerMount("/data", Volume, false), new ContainerMount("/data/cache", _dir.Combine("cache"), false)]);
        Directory.CreateDirectory(_dir.Combine("cache"));

        var onData = Resolve(details, "/data/x/y");
        var onCache = Resolve(details, "/data/cache/z");
        var beside = Resolve(details, "/database");

        Assert.Equal(Volume + "/x/y", onData.NodePath);
        Assert.True(onData.OnVolume);
        Assert.Equal("/data", onData.MountDestination);
        Assert.Equal(_dir.Combine("cache") + "/z", onCache.NodePath);
        Assert.Equal("/data/cache", onCache.MountDestination);
        Assert.False(beside.OnVolume);
        Assert.Equal(Root + "/database", beside.NodePath);
    }

    [Fact]
    public void Resolve_MountPointItself_IsMountSource()
    {
        var resolved = Resolve(Details(mounts: [new ContainerMount("/data/", Volume + "/", false)]), "/data");

        Assert.Equal(Volume, resolved.NodePath);
        Assert.True(resolved.OnVolume);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("/../../../etc")]
    [InlineData("../../../../../../../../etc")]
    [InlineData("..")]
    public void Resolve_SymlinkPointingOut_IsContainedInRoot(string target)
    {
        File.CreateSymbolicLink(Path.Combine(Root, "app", "link"), target);

        var resolved = Resolve(Details(), "/app/link/passwd");

        Assert.StartsWith(Root + "/", resolved.NodePath, StringComparison.Ordinal);
        Assert.DoesNotContain(_dir.Path + "/host-secret", resolved.NodePath, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_AbsoluteSymlink_RestartsAtContainerRoot()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "srv"), "/app/src");

        var resolved = Resolve(Details(), "/srv/main.go");

        Assert.Equal(Root + "/app/src/main.go", resolved.NodePath);
        Assert.Equal("/app/src/main.go", resolved.ContainerPath);
    }

    [Fact]
    public void Resolve_RelativeSymlink_ResolvesFromItsDirectory()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "app", "current"), "src");

        Assert.Equal(Root + "/app/src/x", Resolve(Details(), "/app/current/x").NodePath);
    }

    [Fact]
    public void Resolve_SymlinkIntoMount_LandsOnMountSource()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "app", "shared"), "/data/shared");
        var details = Details(mounts: [new ContainerMount("/data", Volume, false)]);

        var resolved = Resolve(details, "/app/shared/file");

        Assert.Equal(Volume + "/shared/file", resolved.NodePath);
        Assert.True(resolved.OnVolume);
    }

    [Fact]
    public void Resolve_SymlinkInsideMountPointingOut_IsContainedInContainer()
    {
        // On the node, the volume source's parent holds host-secret: a link in the volume must not reach it.
        File.CreateSymbolicLink(Path.Combine(Volume, "up"), "../host-secret");
        var details = Details(mounts: [new ContainerMount("/data", Volume, false)]);

        var resolved = Resolve(details, "/data/up/key");

        Assert.Equal(Root + "/host-secret/key", resolved.NodePath);
        Assert.False(resolved.OnVolume);
    }

    [Fact]
    public void Resolve_SymlinkLoop_InvalidArgument()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "a"), "/b");
        File.CreateSymbolicLink(Path.Combine(Root, "b"), "/a");

        var error = Assert.Throws<RpcException>(() => Resolve(Details(), "/a/x"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public void Resolve_DanglingSymlink_FollowsIntoRoot()
    {
        File.CreateSymbolicLink(Path.Combine(Root, "app", "gone"), "/does/not/exist");

        Assert.Equal(Root + "/does/not/exist/f", Resolve(Details(), "/app/gone/f").NodePath);
    }

    [Fact]
    public void Resolve_NotRunning_FailedPrecondition()
    {
        var error = Assert.Throws<RpcException>(() => Resolve(Details(running: false), "/app"));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public void Resolve_RootNotVisible_FallsBackToProcPidRoot()
    {
        var proc = FakeProc(4242);

        var resolved = new PathResolver(proc).Resolve(Details(root: "/nonexistent/rootfs", pid: 4242), RemotePath.Parse("/app"));

        Assert.Equal("proc", resolved.Backend);
        Assert.Equal(proc + "/4242/root/app", resolved.NodePath);
        Assert.Equal(proc + "/4242/root", resolved.ContainerRoot);
    }

    [Fact]
    public void Resolve_MountSourceNotVisible_GoesThroughProcWithVolumeFlag()
    {
        var proc = FakeProc(7);
        var details = Details(pid: 7, mounts: [new ContainerMount("/data", "/nonexistent/volume", false)]);

        var resolved = new PathResolver(proc).Resolve(details, RemotePath.Parse("/data/x"));

        Assert.Equal("proc", resolved.Backend);
        Assert.True(resolved.OnVolume);
        Assert.Equal(proc + "/7/root/data/x", resolved.NodePath);
    }

    [Fact]
    public void Resolve_NothingVisible_FailedPreconditionNamingWhatIsNeeded()
    {
        var error = Assert.Throws<RpcException>(() => new PathResolver(_dir.Combine("noproc")).Resolve(Details(root: "/nonexistent/rootfs", pid: 5), RemotePath.Parse("/app")));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("CAP_SYS_PTRACE", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PreferProcRoot_UsesProcEvenWhenRootVisible()
    {
        var proc = FakeProc(9);

        var resolved = new PathResolver(proc, preferProcRoot: true).Resolve(Details(pid: 9), RemotePath.Parse("/app"));

        Assert.Equal("proc", resolved.Backend);
        Assert.Equal(proc + "/9/root/app", resolved.NodePath);
    }

    [Fact]
    public void Resolve_MalformedMountDestinations_AreIgnored()
    {
        var details = Details(mounts: [new ContainerMount("relative", Volume, false), new ContainerMount("/", Volume, false), new ContainerMount("/../x", Volume, false)]);

        var resolved = Resolve(details, "/relative/x");

        Assert.False(resolved.OnVolume);
        Assert.Equal(Root + "/relative/x", resolved.NodePath);
    }

    public void Dispose() => _dir.Dispose();

    private ResolvedPath Resolve(ContainerDetails details, string path) => new PathResolver(_dir.Combine("noproc")).Resolve(details, RemotePath.Parse(path));

    private ContainerDetails Details(bool running = true, string? root = null, int pid = 0, IReadOnlyList<ContainerMount>? mounts = null)
        => new(s_ref, running, pid, root ?? Root, mounts ?? [], new Dictionary<string, string>());

    private string FakeProc(int pid)
    {
        var proc = _dir.Combine("proc");
        Directory.CreateDirectory(Path.Combine(proc, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "root", "app"));
        return proc;
    }
}
