using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KSync.Lab.Api;

/// <summary>
/// The lab's Kubernetes API server: Kestrel on 127.0.0.1 over HTTPS (a certificate signed by the lab's CA) with
/// bearer-token authentication, serving the REST subset ksync and kubectl use with the real wire format — discovery,
/// CRUD and list/watch of the kinds in <see cref="ResourceKind.All"/>, SelfSubjectAccessReview, pod port-forward over
/// WebSocket. State lives in <see cref="ObjectStore"/>, so a restart keeps every object (like etcd behind a real server).
/// </summary>
internal sealed partial class ApiServer : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly AccessRules _access;
    private readonly X509Certificate2 _certificate;
    private readonly string _token;
    private readonly IPodRuntime _pods;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<CancellationTokenSource, string> _forwards = new();
    private readonly TextWriter _log;
    private WebApplication? _app;
    private CancellationTokenSource _stopping = new();

    /// <summary>Creates the server; <see cref="StartAsync"/> starts it.</summary>
    /// <param name="store">The object store.</param>
    /// <param name="access">What the user may do.</param>
    /// <param name="certificate">Server certificate with private key.</param>
    /// <param name="token">The bearer token clients must send.</param>
    /// <param name="pods">The nodes' side of port-forward, exec and logs.</param>
    /// <param name="log">Where to write one line per request.</param>
    public ApiServer(ObjectStore store, AccessRules access, X509Certificate2 certificate, string token, IPodRuntime pods, TextWriter log)
    {
        _store = store;
        _access = access;
        _certificate = certificate;
        _token = token;
        _pods = pods;
        _log = log;
    }

    /// <summary>Gets the port it listens on (0 before the first start).</summary>
    public int Port { get; private set; }

    /// <summary>Gets or sets how often a watch that asked for bookmarks gets one; default 1 s (real servers: ~1 min).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the base URL, e.g. https://127.0.0.1:41234.</summary>
    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>Starts listening on 127.0.0.1, on <paramref name="port"/> (0 = a free port, later restarts reuse it).</summary>
    /// <param name="port">The port, or 0.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when the server accepts connections.</returns>
    public async Task StartAsync(int port, CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The API server is already running.");
        }

        _stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(_certificate);
            });
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        Port = new Uri(address).Port;
        _app = app;
    }

    /// <summary>Stops listening and ends every open watch and port-forward; objects stay in the store.</summary>
    /// <returns>A task that completes when the server is down.</returns>
    public async Task StopAsync()
    {
        var app = _app;
        if (app is null)
        {
            return;
        }

        _app = null;
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>Cuts every open port-forward stream to a pod on <paramref name="node"/>.</summary>
    /// <param name="node">Node name.</param>
    /// <returns>How many streams were cut.</returns>
    public int CutPortForwards(string node)
    {
        var cut = 0;
        foreach (var (cts, forwardNode) in _forwards)
        {
            if (forwardNode == node)
            {
                cts.Cancel();
                cut++;
            }
        }

        return cut;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync();

    private void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} api {line}");
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body, string contentType = "application/json")
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
