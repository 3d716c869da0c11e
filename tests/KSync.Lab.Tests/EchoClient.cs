using System.Net.Sockets;

namespace KSync.Lab.Tests;

/// <summary>One round trip through a local port that ends at a <see cref="TestPods.EchoCommand"/> server.</summary>
internal static class EchoClient
{
    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, writes the payload while reading its echo, and disconnects.</summary>
    /// <param name="port">The local port (a tunnel's or kubectl port-forward's).</param>
    /// <param name="payload">The bytes to send.</param>
    /// <param name="timeout">How long the echo may take to come back in full.</param>
    /// <param name="cancellationToken">The test's token.</param>
    /// <returns>What came back before the echo was complete, the connection closed or the timeout passed.</returns>
    public static async Task<byte[]> RoundTripAsync(int port, byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();

        // The echo server sends back as it receives: a large payload must be read while it is written.
        var writer = stream.WriteAsync(payload, cancellationToken).AsTask();
        var echo = new byte[payload.Length];
        var read = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (read < echo.Length)
            {
                var n = await stream.ReadAsync(echo.AsMemory(read), deadline.Token);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: the caller compares what came back and names the connection.
        }

        await writer.WaitAsync(timeout, cancellationToken);
        return echo[..read];
    }
}
