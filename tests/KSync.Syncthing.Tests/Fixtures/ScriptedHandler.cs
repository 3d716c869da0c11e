using System.Net;

namespace KSync.Syncthing.Tests.Fixtures;

/// <summary>An HTTP handler that answers requests from a script, in order, and records them.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _answers = new();

    public ScriptedHandler(params string[] jsonBodies)
    {
        foreach (var body in jsonBodies)
        {
            Add(HttpStatusCode.OK, body);
        }
    }

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string?> Bodies { get; } = [];

    public ScriptedHandler Add(HttpStatusCode status, string body)
    {
        _answers.Enqueue(() => new HttpResponseMessage(status) { Content = new StringContent(body) });
        return this;
    }

    public ScriptedHandler AddFailure(Exception exception)
    {
        _answers.Enqueue(() => throw exception);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        return _answers.Count == 0
            ? throw new InvalidOperationException($"Unexpected request {request.Method} {request.RequestUri}")
            : _answers.Dequeue()();
    }
}
