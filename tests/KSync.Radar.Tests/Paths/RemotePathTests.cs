using Grpc.Core;
using KSync.Radar.Paths;

namespace KSync.Radar.Tests.Paths;

public sealed class RemotePathTests
{
    [Theory]
    [InlineData("/", new string[0])]
    [InlineData("/app", new[] { "app" })]
    [InlineData("//app///src//", new[] { "app", "src" })]
    [InlineData("/app/./src/.", new[] { "app", "src" })]
    [InlineData("/app/lib/../src", new[] { "app", "src" })]
    [InlineData("/a/b/../../c", new[] { "c" })]
    [InlineData("/app/..", new string[0])]
    [InlineData("/with space/ünïcødé/\\back", new[] { "with space", "ünïcødé", "\\back" })]
    [InlineData("/...", new[] { "..." })]
    [InlineData("/..hidden/x..", new[] { "..hidden", "x.." })]
    public void Parse_AbsolutePath_NormalizesLexically(string path, string[] expected)
    {
        Assert.Equal(expected, RemotePath.Parse(path));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("app")]
    [InlineData("./app")]
    [InlineData("../app")]
    [InlineData(" /app")]
    [InlineData("~/app")]
    [InlineData("/..")]
    [InlineData("/../etc")]
    [InlineData("/app/../../etc/passwd")]
    [InlineData("/a/b/../../../")]
    [InlineData("/app/\0")]
    [InlineData("\0/app")]
    public void Parse_RelativeClimbingOrMalformed_InvalidArgument(string? path)
    {
        var error = Assert.Throws<RpcException>(() => RemotePath.Parse(path));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public void Parse_TooLong_InvalidArgument()
    {
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => RemotePath.Parse("/" + new string('a', 256))).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => RemotePath.Parse(string.Concat(Enumerable.Repeat("/abcdefgh", 500)))).StatusCode);
        Assert.Equal(2, RemotePath.Parse("/" + new string('a', 255) + "/b").Count);
    }

    [Fact]
    public void Parse_ManyDotDotsThatStayInside_Accepted()
    {
        var deep = string.Concat(Enumerable.Repeat("/d", 100)) + string.Concat(Enumerable.Repeat("/..", 100)) + "/app";

        Assert.Equal(["app"], RemotePath.Parse(deep));
    }

    [Fact]
    public void Parse_ErrorMessage_DoesNotEchoControlCharacters()
    {
        var error = Assert.Throws<RpcException>(() => RemotePath.Parse("rel\n\u001b[31m"));

        Assert.DoesNotContain('\n', error.Status.Detail);
        Assert.DoesNotContain('\u001b', error.Status.Detail);
    }
}
