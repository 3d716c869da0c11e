using Grpc.Core;
using KSync.Radar.Reload;

namespace KSync.Radar.Tests.Reload;

public sealed class PosixSignalTests
{
    [Theory]
    [InlineData("HUP", 1, "HUP")]
    [InlineData("SIGHUP", 1, "HUP")]
    [InlineData("hup", 1, "HUP")]
    [InlineData(" usr2 ", 12, "USR2")]
    [InlineData("TERM", 15, "TERM")]
    [InlineData("9", 9, "KILL")]
    [InlineData("34", 34, "34")]
    [InlineData("64", 64, "64")]
    [InlineData("POLL", 29, "IO")]
    public void Parse_NameOrNumber_GivesLinuxSignal(string text, int number, string name)
    {
        Assert.Equal(new PosixSignal(number, name), PosixSignal.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("SIG")]
    [InlineData("RELOAD")]
    [InlineData("1.0")]
    [InlineData("HUP;rm -rf /")]
    public void Parse_NoSuchSignal_InvalidArgument(string? text)
    {
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => PosixSignal.Parse(text)).StatusCode);
    }
}
