using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <content>Request dispatch: authentication, URL parsing, authorization and the REST verbs.</content>
internal sealed partial class ApiServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var method = context.Request.Method;
        try
        {
            if (!IsAuthenticated(context))
            {
                Log($"{method} {path} 401");
                await WriteJsonAsync(context, 401, ApiException.Status(401, "Unauthorized", "Unauthorized"));
                return;
            }

            var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (await TryDiscoveryAsync(context, segments))
            {
                Log($"{method} {path} {context.Response.StatusCode}");
                return;
            }

            var target = ParseResourcePath(segments) ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
            await DispatchAsync(context, target);
            Log($"{method} {path}{context.Request.QueryString} {context.Response.StatusCode}");
        }
        catch (ApiException ex)
        {
            Log($"{method} {path}{context.Request.QueryString} {ex.Code} {ex.Message}");
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, ex.Code, ex.ToStatus());
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
        }
        catch (JsonException ex)
        {
            if (!context.Response.HasStarted)
            {
                await WriteJsonAsync(context, 400, ApiException.Status(400, "BadRequest", $"the request body is not valid JSON: {ex.Message}"));
            }
        }
        catch (Exception ex) when (LogUnexpected(method, path, ex))
        {
        }
    }

    // Kestrel answers 500 or drops the connection, and no logger is configured: the lab log says why.
    private bool LogUnexpected(string method, string path, Exception ex)
    {
        Log($"{method} {path} failed: {ex}");
        return false;
    }

    private bool IsAuthenticated(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header == "Bearer " + _token;
    }

    private static ResourcePath? ParseResourcePath(string[] s)
    {
        // /api/v1/... or /apis/{group}/{version}/...
        string group;
        string version;
        int rest;
        if (s.Length >= 2 && s[0] == "api")
        {
            (group, version, rest) = (string.Empty, s[1], 2);
        }
        else if (s.Length >= 3 && s[0] == "apis")
        {
            (group, version, rest) = (s[1], s[2], 3);
        }
        else
        {
            return null;
        }

        var r = s[rest..];
        string? ns = null;
        if (r.Length >= 3 && r[0] == "namespaces")
        {
            ns = r[1];
            r = r[2..];
        }

        if (r.Length is 0 or > 3)
        {
            return null;
        }

        var kind = ResourceKind.Find(group, version, r[0]);
        if (kind is null || (ns is not null && !kind.Namespaced))
        {
            return null;
        }

        return new ResourcePath(kind, ns, r.Length > 1 ? r[1] : null, r.Length > 2 ? r[2] : null);
    }

    private async Task DispatchAsync(HttpContext context, ResourcePath target)
    {
        var query = context.Request.Query;
        var isWatch = query["watch"] is var w && (w == "1" || w == "true");
        var verb = (context.Request.Method, target.Name, isWatch) switch
        {
            ("GET", null, true) => "watch",
            ("GET", null, false) => "list",
            ("GET" or "POST", _, _) when target.Subresource is "portforward" or "exec" => "create",
            ("GET", _, _) => "get",
            ("POST", _, _) => "create",
            ("PUT", _, _) => "update",
            ("PATCH", _, _) => "patch",
            ("DELETE", null, _) => "deletecollection",
            ("DELETE", _, _) => "delete",
            _ => throw new ApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource"),
        };
        var resource = target.Subresource is null ? target.Kind.Plural : $"{target.Kind.Plural}/{target.Subresource}";
        if (!_access.IsAllowed(verb, target.Kind.Group, resource, target.Namespace))
        {
            var where = target.Namespace is null ? "at the cluster scope" : $"in the namespace \"{target.Namespace}\"";
            throw new ApiException(
                403,
                "Forbidden",
                $"{resource}{(target.Kind.Group.Length > 0 ? "." + target.Kind.Group : string.Empty)} {(target.Name is null ? string.Empty : $"\"{target.Name}\" ")}is forbidden: User \"lab-user\" cannot {verb} resource \"{resource}\" in API group \"{target.Kind.Group}\" {where}",
                target.Kind.Plural,
                target.Name,
                target.Kind.Group);
        }

        if (target.Kind == ResourceKind.SelfSubjectAccessReviews)
        {
            await ReviewAsync(context);
            return;
        }

        switch (verb)
        {
            case "watch":
                await WatchAsync(context, target);
                return;
            case "list":
                await ListAsync(context, target);
                return;
            case "create" when target.Subresource == "portforward":
                await PortForwardAsync(context, target);
                return;
            case "create" when target.Subresource == "exec":
                await ExecAsync(context, target);
                return;
            case "get" when target.Subresource == "log":
                await LogAsync(context, target);
                return;
            case "get" when target.Subresource is null or "status":
                var found = _store.Get(target.Kind, target.Namespace, target.Name!) ?? throw ApiException.NotFound(target.Kind, target.Name!);
                await WriteObjectAsync(context, 200, target.Kind, found);
                return;
            case "create" when target.Subresource is null && target.Name is null:
                var created = _store.Create(target.Kind, target.Namespace, await ReadBodyAsync(context));
                await WriteObjectAsync(context, 201, target.Kind, created);
                return;
            case "update" when target.Subresource is null or "status":
                var updated = _store.Update(target.Kind, target.Namespace, target.Name!, await ReadBodyAsync(context), target.Subresource == "status");
                await WriteObjectAsync(context, 200, target.Kind, updated);
                return;
            case "patch" when target.Subresource is null or "status":
                await PatchAsync(context, target);
                return;
            case "delete" when target.Subresource is null:
                await DeleteAsync(context, target);
                return;
            default:
                throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    private async Task WriteObjectAsync(HttpContext context, int code, ResourceKind kind, JsonObject obj)
    {
        if (TableFormatter.IsRequested(context.Request))
        {
            await WriteJsonAsync(context, code, TableFormatter.Format(kind, [obj], _store.ResourceVersion, context.Request), TableFormatter.ContentType);
            return;
        }

        await WriteJsonAsync(context, code, obj);
    }

    private async Task ListAsync(HttpContext context, ResourcePath target)
    {
        var filter = ObjectFilter.Parse(target.Kind, context.Request.Query["labelSelector"], context.Request.Query["fieldSelector"]);
        var (items, resourceVersion) = _store.List(target.Kind, target.Namespace, filter.Matches);
        if (TableFormatter.IsRequested(context.Request))
        {
            await WriteJsonAsync(context, 200, TableFormatter.Format(target.Kind, items, resourceVersion, context.Request), TableFormatter.ContentType);
            return;
        }

        var array = new JsonArray();
        foreach (var item in items)
        {
            // Items of a list carry no kind/apiVersion on the wire; the list does.
            item.Remove("kind");
            item.Remove("apiVersion");
            array.Add(item);
        }

        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = target.Kind.ListKind,
            ["apiVersion"] = target.Kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = array,
        });
    }

    private async Task DeleteAsync(HttpContext context, ResourcePath target)
    {
        var existing = _store.Get(target.Kind, target.Namespace, target.Name!) ?? throw ApiException.NotFound(target.Kind, target.Name!);
        if (target.Kind == ResourceKind.Pods || target.Kind == ResourceKind.Namespaces)
        {
            // Graceful: the kubelet (or the namespace controller) finishes the deletion and removes the object.
            var marked = _store.Mutate(target.Kind, target.Namespace, target.Name!, obj =>
            {
                if (obj["metadata"]!["deletionTimestamp"] is not null)
                {
                    return false;
                }

                obj["metadata"]!["deletionTimestamp"] = ObjectStore.Now();
                obj["metadata"]!["deletionGracePeriodSeconds"] = 0;
                if (target.Kind == ResourceKind.Namespaces)
                {
                    obj["status"] = new JsonObject { ["phase"] = "Terminating" };
                }

                return true;
            }) ?? existing;
            await WriteJsonAsync(context, 200, marked);
            return;
        }

        _store.Remove(target.Kind, target.Namespace, target.Name!);
        await WriteJsonAsync(context, 200, ApiException.Status(200, string.Empty, string.Empty, target.Kind.Plural, target.Name, target.Kind.Group));
    }

    private async Task PatchAsync(HttpContext context, ResourcePath target)
    {
        // JSON merge patch (RFC 7386); strategic merge patch is treated the same, which is exact for maps and
        // replaces lists wholesale.
        var contentType = context.Request.ContentType ?? string.Empty;
        if (contentType.StartsWith("application/json-patch+json", StringComparison.Ordinal) || contentType.StartsWith("application/apply-patch", StringComparison.Ordinal))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the lab does not support the patch type {contentType}");
        }

        var patch = await ReadBodyAsync(context);
        var current = _store.Get(target.Kind, target.Namespace, target.Name!) ?? throw ApiException.NotFound(target.Kind, target.Name!);
        MergePatch(current, patch);
        var updated = _store.Update(target.Kind, target.Namespace, target.Name!, current, target.Subresource == "status");
        await WriteObjectAsync(context, 200, target.Kind, updated);
    }

    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                MergePatch(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private async Task ReviewAsync(HttpContext context)
    {
        if (context.Request.Method != "POST")
        {
            throw new ApiException(405, "MethodNotAllowed", "selfsubjectaccessreviews only support create");
        }

        var review = await ReadBodyAsync(context);
        var attributes = review["spec"]?["resourceAttributes"] as JsonObject ?? throw ApiException.Invalid(ResourceKind.SelfSubjectAccessReviews, string.Empty, "spec.resourceAttributes: Required value");
        var resource = (string?)attributes["resource"] ?? string.Empty;
        if ((string?)attributes["subresource"] is { Length: > 0 } sub)
        {
            resource += "/" + sub;
        }

        var allowed = _access.IsAllowed((string?)attributes["verb"] ?? string.Empty, (string?)attributes["group"] ?? string.Empty, resource, (string?)attributes["namespace"]);
        review["kind"] = "SelfSubjectAccessReview";
        review["apiVersion"] = "authorization.k8s.io/v1";
        review["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        review["status"] = allowed
            ? new JsonObject { ["allowed"] = true, ["reason"] = "lab: allowed" }
            : new JsonObject { ["allowed"] = false, ["reason"] = "lab: denied by the test's access rules" };
        await WriteJsonAsync(context, 201, review);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        if ((context.Request.ContentType ?? string.Empty).StartsWith(ProtobufBodies.ContentType, StringComparison.Ordinal))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return ProtobufBodies.Decode(buffer.ToArray());
        }

        var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static long? ParseResourceVersion(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiException.BadRequest($"invalid resource version \"{text}\"");
    }

    /// <summary>A parsed resource URL.</summary>
    /// <param name="Kind">The resource.</param>
    /// <param name="Namespace">Namespace, or null.</param>
    /// <param name="Name">Object name, or null for the collection.</param>
    /// <param name="Subresource">Subresource ("status", "portforward"), or null.</param>
    private sealed record ResourcePath(ResourceKind Kind, string? Namespace, string? Name, string? Subresource);
}
