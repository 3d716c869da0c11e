using System.Net.Sockets;
using System.Net;
using KSync.Plugin.Errors;
using KSync.Plugin.Status;
using KSync.Plugin.Tests.Cli;
using KSync.TestKit;
using Microsoft.Extensions.Logging.Testing;

namespace KSync.Plugin.Tests.Status;

/// <summary>
/// watch's pre-start check of its status port against real sockets: TIME_WAIT and passing connections are waited
/// for, a running watch and other listeners are named.
/// </summary>
public sealed class StatusPortTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnsureFree_FreePort_ReturnsAtOnce()
    {
        var logger = new FakeLogger();

        await StatusPort.EnsureFreeAsync(FreePort.Next(), logger, Ct);

        Assert.Equal(0, logger.Collector.Count);
    }

    [Fact]
    public async Task EnsureFree_ClosedClientConnectionInTimeWait_WaitsInsteadOfBlamingAWatch()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A connection that used the port as its local end and closed first leaves TIME_WAIT for 60 s; its socket had
        // no SO_REUSEADDR (like a client given the port from the ephemeral range), so Linux refuses the bind.
        var port = FreePort.Next();
        await CloseFirstAsync(port);
        var logger = new FakeLogger();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var check = StatusPort.EnsureFreeAsync(port, logger, stop.Token);
        await Eventually.TrueAsync(() => Task.FromResult(logger.Collector.Count > 0), TimeSpan.FromSeconds(10), "the check to say it waits");
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
        Assert.Contains($"Port {port} on 127.0.0.1 is held by closed connections in TIME_WAIT (not by a watch); waiting up to 65 s", Assert.Single(logger.Collector.GetSnapshot()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureFree_ConnectionClosesWhileWaiting_Proceeds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var port = FreePort.Next();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = BoundWithoutReuse(port);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, Ct);
        using var accepted = await listener.AcceptSocketAsync(Ct);
        var logger = new FakeLogger();

        var check = StatusPort.EnsureFreeAsync(port, logger, Ct);
        await Eventually.TrueAsync(() => Task.FromResult(logger.Collector.Count > 0), TimeSpan.FromSeconds(10), "the check to say it waits");
        Assert.False(check.IsCompleted);
        Assert.Contains($"is the local end of a connection of process {Environment.ProcessId} (", logger.LatestRecord.Message, StringComparison.Ordinal);
        Assert.Contains("(ESTABLISHED), not a watch; waiting", logger.LatestRecord.Message, StringComparison.Ordinal);

        // The far end closes first, so the port's side ends in CLOSED, not TIME_WAIT.
        accepted.Close();
        await Eventually.TrueAsync(() => Task.FromResult(client.Available == 0 && client.Poll(0, SelectMode.SelectRead)), TimeSpan.FromSeconds(5), "the client to see the close");
        client.Close();

        await check.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task EnsureFree_WatchServesThePort_NamesItsPidAndVersion()
    {
        await using var watch = await FakeStatusServer.StartAsync(new KSync.Proto.Ksync.V1.SpecList());

        var error = await Assert.ThrowsAsync<KsyncException>(() => StatusPort.EnsureFreeAsync(watch.Port, new FakeLogger(), Ct));

        Assert.Equal($"Another kubectl ksync watch (PID {FakeStatusServer.Pid}, version {FakeStatusServer.Version}) already serves status on 127.0.0.1:{watch.Port}.", error.Message);
        Assert.Contains("clean --local", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureFree_OtherProgramListens_NamesIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<KsyncException>(() => StatusPort.EnsureFreeAsync(port, new FakeLogger(), Ct));

        var name = File.ReadAllText($"/proc/{Environment.ProcessId}/comm").Trim();
        Assert.Equal($"Port {port} on 127.0.0.1 is in use by process {Environment.ProcessId} ({name}), which listens on it.", error.Message);
    }

    private static Socket BoundWithoutReuse(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));

        // .NET sets SO_REUSEADDR when it binds; a socket given the port by connect() has none. Linux checks the flag
        // of the socket that holds the port when another one binds, so clearing it here makes it such a socket.
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
        return socket;
    }

    private static async Task CloseFirstAsync(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = BoundWithoutReuse(port);
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, Ct);
        using var accepted = await listener.AcceptSocketAsync(Ct);
        client.Close();
        await Eventually.TrueAsync(() => Task.FromResult(accepted.Poll(0, SelectMode.SelectRead)), TimeSpan.FromSeconds(5), "the server side to see the close");
    }
}
