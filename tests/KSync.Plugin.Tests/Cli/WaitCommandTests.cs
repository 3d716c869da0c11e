namespace KSync.Plugin.Tests.Cli;

/// <summary><c>kubectl ksync wait</c>'s bad input, checked before any watch is asked (the barrier itself: E2E WaitTests).</summary>
public sealed class WaitCommandTests : IDisposable
{
    private readonly CliFixture _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData(new[] { "wait", "--timeout", "soon" }, "--timeout must be a positive duration of at most 60m such as 30s or 5m, got 'soon'.")]
    [InlineData(new[] { "wait", "--timeout", "0" }, "--timeout must be a positive duration")]
    [InlineData(new[] { "wait", "--timeout", "2h" }, "--timeout must be a positive duration of at most 60m")]
    [InlineData(new[] { "wait", "--verbose" }, "Unrecognized option '--verbose'")]
    [InlineData(new[] { "wait" }, "wait asks the running watch, and none answers on 127.0.0.1:")]
    public async Task Wait_BadInputOrNoWatch_FailsWithAMessage(string[] args, string message)
    {
        var result = await _cli.Runner.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Null(_cli.ConfigText);
    }
}
