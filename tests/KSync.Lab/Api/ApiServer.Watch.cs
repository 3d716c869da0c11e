using System.Globalization;
using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <content>
/// Watch (Kubernetes API Concepts: "Efficient detection of changes"): one JSON event per line; resume after a
/// resourceVersion; "" or "0" starts with ADDED for every current object; BOOKMARK events when
/// <c>allowWatchBookmarks</c>; an ERROR event with a 410 Expired Status when the version is older than the
/// history; the stream ends after <c>timeoutSeconds</c>. Objects that start or stop matching the selectors arrive as
/// ADDED or DELETED, as from a real server.
/// </content>
internal sealed partial class ApiServer
{
    private async Task WatchAsync(HttpContext context, ResourcePath target)
    {
        var query = context.Request.Query;
        var filter = ObjectFilter.Parse(target.Kind, query["labelSelector"], query["fieldSelector"]);
        var bookmarks = query["allowWatchBookmarks"] == "true" || query["allowWatchBookmarks"] == "1";
        var timeout = int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(30);
        var fromVersion = ParseResourceVersion(query["resourceVersion"]);
        var table = TableFormatter.IsRequested(context.Request);
        context.Response.StatusCode = 200;
        context.Response.ContentType = table ? TableFormatter.ContentType : "application/json";
        context.Response.Headers.CacheControl = "no-cache, private";

        StoreWatcher watcher;
        var initial = new List<JsonObject>();
        try
        {
            if (fromVersion is null or 0)
            {
                // Start "now" with the current state as ADDED events (the list+watch in one of old clients).
                var (items, version) = _store.List(target.Kind, target.Namespace, filter.Matches);
                initial.AddRange(items);
                watcher = _store.Watch(target.Kind, target.Namespace, version);
            }
            else
            {
                watcher = _store.Watch(target.Kind, target.Namespace, fromVersion);
            }
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            // A watch that cannot resume gets 200 and one ERROR event (what client-go and KubernetesClient expect).
            await WriteEventAsync(context, "ERROR", ex.ToStatus(), target.Kind, table);
            return;
        }

        using (watcher)
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
        {
            linked.CancelAfter(timeout);
            var token = linked.Token;
            await context.Response.StartAsync(token);
            foreach (var item in initial)
            {
                await WriteEventAsync(context, "ADDED", item, target.Kind, table);
            }

            await context.Response.Body.FlushAsync(token);
            var lastVersion = _store.ResourceVersion;
            var reader = watcher.Events.Reader;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(token);
                    if (bookmarks)
                    {
                        tick.CancelAfter(BookmarkInterval);
                    }

                    bool more;
                    try
                    {
                        more = await reader.WaitToReadAsync(tick.Token);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        var bookmark = new JsonObject
                        {
                            ["kind"] = target.Kind.Kind,
                            ["apiVersion"] = target.Kind.ApiVersion,
                            ["metadata"] = new JsonObject { ["resourceVersion"] = Math.Max(lastVersion, _store.ResourceVersion).ToString(CultureInfo.InvariantCulture) },
                        };
                        await WriteEventAsync(context, "BOOKMARK", bookmark, target.Kind, false);
                        await context.Response.Body.FlushAsync(token);
                        continue;
                    }

                    if (!more)
                    {
                        break;
                    }

                    while (reader.TryRead(out var change))
                    {
                        lastVersion = change.ResourceVersion;
                        var type = Translate(change, filter);
                        if (type is not null)
                        {
                            await WriteEventAsync(context, type, change.Object, target.Kind, table);
                        }
                    }

                    await context.Response.Body.FlushAsync(token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static string? Translate(StoreEvent change, ObjectFilter filter)
    {
        var now = filter.Matches(change.Object);
        var before = change.Old is not null && filter.Matches(change.Old);
        return change.Type switch
        {
            "ADDED" => now ? "ADDED" : null,
            "DELETED" => before || now ? "DELETED" : null,
            _ when now && before => "MODIFIED",
            _ when now => "ADDED",
            _ when before => "DELETED",
            _ => null,
        };
    }

    private async Task WriteEventAsync(HttpContext context, string type, JsonObject obj, ResourceKind kind, bool table)
    {
        JsonNode payload = table && type is not ("ERROR" or "BOOKMARK")
            ? TableFormatter.Format(kind, [obj], _store.ResourceVersion, context.Request)
            : obj;
        var line = new JsonObject { ["type"] = type, ["object"] = payload.DeepClone() }.ToJsonString() + "\n";
        await context.Response.WriteAsync(line, context.RequestAborted);
    }
}
