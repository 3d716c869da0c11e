using System.Globalization;

namespace KSync.Lab.Api;

/// <content>
/// <c>pods/log</c> (Kubernetes API reference: "read log of the specified Pod"): plain text, one line per container
/// output line, with <c>container</c>, <c>follow</c>, <c>previous</c>, <c>timestamps</c> (RFC 3339 with nanoseconds),
/// <c>tailLines</c> and <c>sinceSeconds</c>. A follow ends when the container stops.
/// </content>
internal sealed partial class ApiServer
{
    private async Task LogAsync(HttpContext context, ResourcePath target)
    {
        var pod = _store.Get(ResourceKind.Pods, target.Namespace, target.Name!) ?? throw ApiException.NotFound(ResourceKind.Pods, target.Name!);
        var query = context.Request.Query;
        var container = ContainerParameter(pod, query["container"]);
        var follow = IsTrue(query["follow"]);
        var timestamps = IsTrue(query["timestamps"]);
        int? tail = int.TryParse(query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : null;
        DateTime? since = long.TryParse(query["sinceSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? DateTime.UtcNow.AddSeconds(-s) : null;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var lines = _pods.LogsAsync(pod, container, IsTrue(query["previous"]), follow, done.Token);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(done.Token);
        string Format((DateTime Time, string Line) entry)
            => (timestamps ? entry.Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture) + " " : string.Empty) + entry.Line + "\n";

        try
        {
            if (tail is not null && !follow)
            {
                var kept = new Queue<(DateTime, string)>();
                await foreach (var entry in lines)
                {
                    if (since is null || entry.Time >= since)
                    {
                        kept.Enqueue(entry);
                        if (kept.Count > tail)
                        {
                            kept.Dequeue();
                        }
                    }
                }

                foreach (var entry in kept)
                {
                    await context.Response.WriteAsync(Format(entry), done.Token);
                }

                return;
            }

            await foreach (var entry in lines)
            {
                if (since is null || entry.Time >= since)
                {
                    await context.Response.WriteAsync(Format(entry), done.Token);
                    if (follow)
                    {
                        await context.Response.Body.FlushAsync(done.Token);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
