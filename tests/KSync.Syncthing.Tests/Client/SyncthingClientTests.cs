using System.Net;
using System.Net.Sockets;
using KSync.Syncthing.Client;
using KSync.Syncthing.Tests.Fixtures;

namespace KSync.Syncthing.Tests.Client;

/// <summary>The REST client's plumbing against scripted answers: retries, timeouts, errors, query shapes.</summary>
public sealed class SyncthingClientTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static SyncthingClient Client(ScriptedHandler handler, TimeSpan? timeout = null)
        => new(new Uri("http://127.0.0.1:8384/"), "the-key", new SyncthingClientOptions { RetryDelay = TimeSpan.FromMilliseconds(1), RequestTimeout = timeout ?? TimeSpan.FromSeconds(5) }, handler);

    [Fact]
    public async Task Get_Transient503ThenOk_RetriedAndSucceeds()
    {
        var handler = new ScriptedHandler()
            .Add(HttpStatusCode.ServiceUnavailable, "starting")
            .AddFailure(new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)))
            .Add(HttpStatusCode.OK, """{"myID":"AAAA","uptime":3}""");
        using var client = Client(handler);

        var status = await client.GetSystemStatusAsync(Token);

        Assert.Equal("AAAA", status.MyId);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("the-key", r.Headers.GetValues("X-API-Key").Single()));
    }

    [Fact]
    public async Task Scan_500WithSyncthingMessage_NotRetriedAndMessageNamesEndpoint()
    {
        var handler = new ScriptedHandler().Add(HttpStatusCode.InternalServerError, "folder marker missing (this indicates potential data loss)\n");
        using var client = Client(handler);

        var error = await Assert.ThrowsAsync<SyncthingException>(() => client.ScanAsync("f1", ["a b/c.txt", "d"], Token));

        Assert.Single(handler.Requests);
        Assert.Equal("POST /rest/db/scan", error.Endpoint);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("folder marker missing", error.Message, StringComparison.Ordinal);
        Assert.Equal("?folder=f1&sub=a%20b%2Fc.txt&sub=d", handler.Requests[0].RequestUri!.Query);
    }

    [Fact]
    public async Task Get_NoAnswerEver_TimesOutWithClearError()
    {
        using var client = new SyncthingClient(new Uri("http://127.0.0.1:8384/"), "k", new SyncthingClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(50), RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetries = 1 }, new HangingHandler());

        var error = await Assert.ThrowsAsync<SyncthingException>(() => client.GetVersionAsync(Token));

        Assert.Contains("did not answer GET /rest/system/version within", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFolder_404_ReturnsNull_PatchSendsOnlySetFields()
    {
        var handler = new ScriptedHandler().Add(HttpStatusCode.NotFound, "404 page not found").Add(HttpStatusCode.OK, string.Empty);
        using var client = Client(handler);

        Assert.Null(await client.GetFolderAsync("nope", Token));
        await client.PatchFolderAsync("f/1", new FolderConfiguration { Paused = true, FsWatcherDelayS = 0.05 }, Token);

        Assert.Equal(HttpMethod.Patch, handler.Requests[1].Method);
        Assert.EndsWith("/rest/config/folders/f%2F1", handler.Requests[1].RequestUri!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("""{"fsWatcherDelayS":0.05,"paused":true}""", handler.Bodies[1]);
    }

    private sealed class HangingHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException();
        }
    }
}
