using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KSync.TestKit;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (random port) that serves byte arrays by path, answers 404 for anything else,
/// and can cut a response short (the headers promise the full length, half the body is sent, the connection closes)
/// to test interrupted downloads. One request per connection. Stopped on dispose.
/// </summary>
public sealed class StaticHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, (byte[] Body, bool Interrupt)> _files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts the server.</summary>
    public StaticHttpServer()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Gets the base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Gets the paths requested so far.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/>.</summary>
    /// <param name="path">Absolute path, e.g. <c>/v1.0.0/file.tar.gz</c>.</param>
    /// <param name="body">The content.</param>
    /// <param name="interrupt">True to send only half of the body and then close the connection.</param>
    public void Serve(string path, byte[] body, bool interrupt = false) => _files[path] = (body, interrupt);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadHeadAsync(stream);
                var path = request.Split(' ').ElementAtOrDefault(1) ?? "/";
                Requests.Enqueue(path);
                if (!_files.TryGetValue(path, out var file))
                {
                    var notFound = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
                    await stream.WriteAsync(notFound);
                    return;
                }

                var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {file.Body.Length}\r\nConnection: close\r\n\r\n"));
                await stream.WriteAsync(head);
                await stream.WriteAsync(file.Interrupt ? file.Body.AsMemory(0, file.Body.Length / 2) : file.Body);
                await stream.FlushAsync();
                if (file.Interrupt)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total));
            if (read == 0)
            {
                break;
            }

            total += read;
            if (Encoding.ASCII.GetString(buffer, 0, total).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        return Encoding.ASCII.GetString(buffer, 0, total);
    }
}
