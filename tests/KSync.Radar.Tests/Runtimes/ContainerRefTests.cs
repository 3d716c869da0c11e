using Grpc.Core;
using KSync.Radar.Runtimes;

namespace KSync.Radar.Tests.Runtimes;

public sealed class ContainerRefTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("docker://" + Hex, "Docker")]
    [InlineData("containerd://" + Hex, "Containerd")]
    [InlineData("cri-o://" + Hex, "CriO")]
    public void Parse_WellFormed_GivesRuntimeAndId(string value, string kind)
    {
        var parsed = ContainerRef.Parse(value);

        Assert.Equal(Enum.Parse<RuntimeKind>(kind), parsed.Runtime);
        Assert.Equal(Hex, parsed.Id);
        Assert.Equal(value, parsed.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Hex)]
    [InlineData("docker:/" + Hex)]
    [InlineData("docker://" + Hex + "0")]
    [InlineData("docker://" + Hex + "\n")]
    [InlineData("docker://" + Hex + "/../x")]
    [InlineData("DOCKER://" + Hex)]
    [InlineData("docker://abc")]
    [InlineData("docker://" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData("docker:// " + Hex)]
    [InlineData("://" + Hex)]
    public void Parse_Malformed_InvalidArgument(string? value)
    {
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => ContainerRef.Parse(value)).StatusCode);
    }

    [Theory]
    [InlineData("rkt://" + Hex)]
    [InlineData("frakti://" + Hex)]
    public void Parse_UnsupportedRuntime_FailedPrecondition(string value)
    {
        var error = Assert.Throws<RpcException>(() => ContainerRef.Parse(value));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("not supported", error.Status.Detail, StringComparison.Ordinal);
    }
}
