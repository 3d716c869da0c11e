using System.Net;

namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 standing in for GitHub releases and dl.k8s.io (nothing outside this machine is
/// reachable): serves files and redirects registered by URL path, answers 404 to everything else, and records the
/// paths asked for. Containers reach it with <c>--network host</c>.
/// </summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, Func<HttpListenerResponse, Task>> _routes = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly Task _loop;

    public LocalHttpServer()
    {
        Port = KSync.TestKit.FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public void File(string path, string file) => Route(path, async response =>
    {
        response.ContentType = "application/octet-stream";
        await using var stream = System.IO.File.OpenRead(file);
        response.ContentLength64 = stream.Length;
        await stream.CopyToAsync(response.OutputStream);
    });

    public void Text(string path, string text, string contentType = "text/plain") => Route(path, async response =>
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
    });

    public void Redirect(string path, string location) => Route(path, response =>
    {
        response.StatusCode = 302;
        response.RedirectLocation = location;
        return Task.CompletedTask;
    });

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Route(string path, Func<HttpListenerResponse, Task> handler)
    {
        lock (_routes)
        {
            _routes[path] = handler;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            lock (_requests)
            {
                _requests.Add(path);
            }

            Func<HttpListenerResponse, Task>? handler;
            lock (_routes)
            {
                _routes.TryGetValue(path, out handler);
            }

            try
            {
                if (handler is null)
                {
                    context.Response.StatusCode = 404;
                }
                else
                {
                    await handler(context.Response);
                }
            }
            catch (HttpListenerException)
            {
            }
            finally
            {
                context.Response.Close();
            }
        }
    }
}
