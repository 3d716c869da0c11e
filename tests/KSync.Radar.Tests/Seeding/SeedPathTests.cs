using Grpc.Core;
using KSync.Radar.Seeding;

namespace KSync.Radar.Tests.Seeding;

public sealed class SeedPathTests
{
    [Theory]
    [InlineData("a", new[] { "a" })]
    [InlineData("src/main.go", new[] { "src", "main.go" })]
    [InlineData("..hidden/x..", new[] { "..hidden", "x.." })]
    public void Parse_RelativePath_SplitsIt(string path, string[] expected)
    {
        Assert.Equal(expected, SeedPath.Parse(path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/./b")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a/\0")]
    public void Parse_AbsoluteClimbingOrMalformed_InvalidArgumentNamingThePath(string? path)
    {
        var error = Assert.Throws<RpcException>(() => SeedPath.Parse(path));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        if (!string.IsNullOrEmpty(path) && !path.Contains('\0', StringComparison.Ordinal))
        {
            Assert.Contains(path, error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("link", "target")]
    [InlineData("a/b/link", "../../c")]
    [InlineData("a/link", "./b/../c")]
    [InlineData("a/link", "..")]
    public void CheckLinkTarget_StaysInside_Accepted(string link, string target)
    {
        SeedPath.CheckLinkTarget(link.Split('/'), target);
    }

    [Theory]
    [InlineData("link", "/etc/passwd")]
    [InlineData("link", "..")]
    [InlineData("a/b/link", "../../../x")]
    [InlineData("a/link", "b/../../../x")]
    [InlineData("link", "")]
    public void CheckLinkTarget_AbsoluteOrClimbingOut_InvalidArgument(string link, string target)
    {
        var error = Assert.Throws<RpcException>(() => SeedPath.CheckLinkTarget(link.Split('/'), target));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(link, error.Status.Detail, StringComparison.Ordinal);
    }
}
