using KSync.Lab.Api;

namespace KSync.Lab.Tests;

/// <summary>The kubelet's checks of port-forward stream headers and how it pairs streams.</summary>
public sealed class PortForwardHeadersTests
{
    [Theory]
    [InlineData(null, "data", "\"port\" header is required")]
    [InlineData("http", "data", "unable to parse \"http\" as a port")]
    [InlineData("70000", "data", "unable to parse \"70000\" as a port")]
    [InlineData("0", "data", "port \"0\" must be > 0")]
    [InlineData("80", null, "\"streamType\" header is required")]
    [InlineData("80", "stdin", "invalid stream type \"stdin\"")]
    [InlineData("80", "data", null)]
    [InlineData("65535", "error", null)]
    public void Validate_GivesTheKubeletsReason(string? port, string? type, string? reason)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (port is not null)
        {
            headers["port"] = port;
        }

        if (type is not null)
        {
            headers["streamtype"] = type;
        }

        Assert.Equal(reason, PortForwardHeaders.Validate(headers));
    }

    [Fact]
    public void RequestIdOf_PrefersTheHeader_ElseDerivesItFromStreamIds()
    {
        var withId = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["streamtype"] = "data", ["port"] = "80", ["requestid"] = "7" };
        var oldError = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["streamtype"] = "error", ["port"] = "80" };
        var oldData = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["streamtype"] = "data", ["port"] = "80" };

        Assert.Equal("7", PortForwardHeaders.RequestIdOf(withId, 99));

        // Clients without requestID open the error stream, then the data stream: IDs 5 and 7 are one request.
        Assert.Equal("5", PortForwardHeaders.RequestIdOf(oldError, 5));
        Assert.Equal("5", PortForwardHeaders.RequestIdOf(oldData, 7));
    }

    [Fact]
    public void Pair_CompletesWithBothTypesInEitherOrder_AndRefusesADuplicate()
    {
        var pair = new PortForwardStreamPair<string>("3");

        Assert.Null(pair.Add("data", "d"));
        Assert.False(pair.IsComplete);
        Assert.Equal("error processing stream for request 3: data stream already assigned", pair.Add("data", "d2"));
        Assert.Null(pair.Add("error", "e"));

        Assert.True(pair.IsComplete);
        Assert.Equal(("d", "e"), (pair.Data, pair.Error));
        Assert.Equal("error processing stream for request 3: error stream already assigned", pair.Add("error", "e2"));
    }
}
