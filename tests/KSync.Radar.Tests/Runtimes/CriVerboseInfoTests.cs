using KSync.Radar.Runtimes.Cri;

namespace KSync.Radar.Tests.Runtimes;

public sealed class CriVerboseInfoTests
{
    [Fact]
    public void Parse_ContainerdShape_GivesPidAndRelativeRoot()
    {
        var info = CriVerboseInfo.Parse("""{"sandboxID":"x","pid":4321,"removing":false,"runtimeSpec":{"root":{"path":"rootfs"},"mounts":[]}}""");

        Assert.Equal(new CriVerboseInfo(4321, "rootfs"), info);
    }

    [Fact]
    public void Parse_CrioShape_GivesAbsoluteRoot()
    {
        var info = CriVerboseInfo.Parse("""{"pid":77,"runtimeSpec":{"root":{"path":"/var/lib/containers/storage/overlay/abc/merged","readonly":false}}}""");

        Assert.Equal(new CriVerboseInfo(77, "/var/lib/containers/storage/overlay/abc/merged"), info);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"pid":"12","runtimeSpec":{"root":7}}""")]
    [InlineData("""{"pid":99999999999}""")]
    public void Parse_MissingOrMalformed_GivesUnknowns(string? json)
    {
        Assert.Equal(new CriVerboseInfo(0, null), CriVerboseInfo.Parse(json));
    }

    [Fact]
    public void ConfigString_ReadsNestedContainerdConfig()
    {
        const string Config = """{"containerd":{"snapshotter":"overlayfs"},"stateDir":"/run/containerd/io.containerd.grpc.v1.cri","containerdRootDir":"/var/lib/containerd"}""";

        Assert.Equal("overlayfs", CriVerboseInfo.ConfigString(Config, "containerd", "snapshotter"));
        Assert.Equal("/var/lib/containerd", CriVerboseInfo.ConfigString(Config, "containerdRootDir"));
        Assert.Null(CriVerboseInfo.ConfigString(Config, "containerd", "missing"));
        Assert.Null(CriVerboseInfo.ConfigString("{", "x"));
    }
}
