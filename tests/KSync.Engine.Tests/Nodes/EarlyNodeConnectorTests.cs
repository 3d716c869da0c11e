using KSync.Engine.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace KSync.Engine.Tests.Nodes;

public sealed class EarlyNodeConnectorTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task FirstConnectTakesTheEarlyLinkAndLaterOnesConnectAnew()
    {
        var inner = new CountingConnector();
        await using var connector = new EarlyNodeConnector(inner, _time);
        connector.Open(["n1", "n1", string.Empty]);

        var first = await connector.ConnectAsync("n1", TestContext.Current.CancellationToken);
        var second = await connector.ConnectAsync("n1", TestContext.Current.CancellationToken);

        Assert.Equal(1, ((FakeLink)first).Number);
        Assert.Equal(2, ((FakeLink)second).Number);
        Assert.Equal(["n1", "n1"], inner.Calls);
    }

    [Fact]
    public async Task NodeNotOpenedEarlyConnectsThroughTheInnerConnector()
    {
        var inner = new CountingConnector();
        await using var connector = new EarlyNodeConnector(inner, _time);
        connector.Open(["n1"]);

        var link = await connector.ConnectAsync("n2", TestContext.Current.CancellationToken);

        Assert.Equal("n2", link.NodeName);
        Assert.Contains("n2", inner.Calls);
    }

    [Fact]
    public async Task FailedEarlyAttemptIsRetriedAndItsErrorIsNotSurfaced()
    {
        var inner = new CountingConnector { FailFirst = true };
        await using var connector = new EarlyNodeConnector(inner, _time);
        connector.Open(["n1"]);

        var link = await connector.ConnectAsync("n1", TestContext.Current.CancellationToken);

        Assert.Equal(2, ((FakeLink)link).Number);
    }

    [Fact]
    public async Task FreshAttemptErrorReachesTheCaller()
    {
        var inner = new CountingConnector { FailAll = true };
        await using var connector = new EarlyNodeConnector(inner, _time);
        connector.Open(["n1"]);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => connector.ConnectAsync("n1", TestContext.Current.CancellationToken));

        Assert.Equal("no ready agent on n1 (attempt 2)", ex.Message);
    }

    [Fact]
    public async Task EarlyLinkThatClosedMeanwhileIsDisposedAndReplaced()
    {
        var inner = new CountingConnector();
        await using var connector = new EarlyNodeConnector(inner, _time);
        connector.Open(["n1"]);
        var early = await inner.OpenedAsync("n1");
        early.Close();

        var link = await connector.ConnectAsync("n1", TestContext.Current.CancellationToken);

        Assert.Equal(2, ((FakeLink)link).Number);
        Assert.True(early.IsDisposed);
    }

    [Fact]
    public async Task UnclaimedEarlyLinksCloseAfterThirtySeconds()
    {
        var inner = new CountingConnector();
        await using var connector = new EarlyNodeConnector(inner, _time);
        connector.Open(["n1"]);
        var early = await inner.OpenedAsync("n1");

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(early.IsDisposed);
        _time.Advance(TimeSpan.FromSeconds(1));
        await early.Disposed.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var link = await connector.ConnectAsync("n1", TestContext.Current.CancellationToken);
        Assert.Equal(2, ((FakeLink)link).Number);
    }

    [Fact]
    public async Task DisposeClosesUnclaimedLinksButNotTakenOnes()
    {
        var inner = new CountingConnector();
        var connector = new EarlyNodeConnector(inner, _time);
        connector.Open(["n1", "n2"]);
        var taken = (FakeLink)await connector.ConnectAsync("n1", TestContext.Current.CancellationToken);
        var unclaimed = await inner.OpenedAsync("n2");

        await connector.DisposeAsync();

        Assert.True(unclaimed.IsDisposed);
        Assert.False(taken.IsDisposed);
    }

    private sealed class CountingConnector : INodeConnector
    {
        private int _count;

        public bool FailFirst { get; init; }

        public bool FailAll { get; init; }

        public List<string> Calls { get; } = [];

        public List<Task<INodeLink>> Opened { get; } = [];

        /// <summary>Waits (up to 10 s) until the early connect to <paramref name="nodeName"/> ran on its thread-pool task.</summary>
        public async Task<FakeLink> OpenedAsync(string nodeName)
        {
            for (var i = 0; i < 1000; i++)
            {
                lock (Calls)
                {
                    var index = Calls.IndexOf(nodeName);
                    if (index >= 0)
                    {
                        return (FakeLink)Opened[index].Result;
                    }
                }

                await Task.Delay(10);
            }

            throw new TimeoutException($"no connect to {nodeName}");
        }

        public Task<INodeLink> ConnectAsync(string nodeName, CancellationToken cancellationToken)
        {
            Task<INodeLink> result;
            lock (Calls)
            {
                Calls.Add(nodeName);
                var number = ++_count;
                result = FailAll || (FailFirst && number == 1)
                    ? Task.FromException<INodeLink>(new InvalidOperationException($"no ready agent on {nodeName} (attempt {number})"))
                    : Task.FromResult<INodeLink>(new FakeLink(nodeName, number));
                Opened.Add(result);
            }

            return result;
        }
    }

    private sealed class FakeLink(string nodeName, int number) : INodeLink
    {
        private readonly CancellationTokenSource _closed = new();
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string NodeName => nodeName;

        public int Number => number;

        public NodeSyncthing Syncthing => throw new NotSupportedException();

        public INodeAgent Agent => throw new NotSupportedException();

        public CancellationToken Closed => _closed.Token;

        public string? ClosedReason => _closed.IsCancellationRequested ? "closed" : null;

        public bool IsDisposed => _disposed.Task.IsCompleted;

        public Task Disposed => _disposed.Task;

        public void Close() => _closed.Cancel();

        public ValueTask DisposeAsync()
        {
            _disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
