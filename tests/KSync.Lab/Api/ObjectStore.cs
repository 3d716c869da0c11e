using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>
/// The lab's etcd: every object the API server serves, as JSON, with one global resourceVersion counter, a
/// bounded history of changes for watches that resume from a resourceVersion, and 410 Gone for versions older
/// than the history (Kubernetes API Concepts: "Efficient detection of changes", "Resource versions").
/// Thread-safe; objects handed out are copies.
/// </summary>
internal sealed partial class ObjectStore
{
    /// <summary>How many changes the history keeps before the oldest are compacted away.</summary>
    public const int HistoryCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<ResourceKind, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly List<StoreEvent> _history = [];
    private readonly List<StoreWatcher> _watchers = [];
    private long _resourceVersion = 100;
    private long _oldestResourceVersion = 100;

    /// <summary>Gets the current resourceVersion (that of the latest change).</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>
    /// Forgets every change recorded so far: a watch that resumes from any earlier resourceVersion gets 410 Gone,
    /// as after an etcd compaction.
    /// </summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _resourceVersion++;
            _oldestResourceVersion = _resourceVersion;
        }
    }

    /// <summary>Reads one object.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="ns">Namespace, or null for cluster-scoped.</param>
    /// <param name="name">Name.</param>
    /// <returns>A copy, or null when absent.</returns>
    public JsonObject? Get(ResourceKind kind, string? ns, string name)
    {
        lock (_lock)
        {
            return Table(kind).TryGetValue(Key(ns, name), out var found) ? Copy(found) : null;
        }
    }

    /// <summary>Lists objects of one resource.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="ns">Namespace, or null for all.</param>
    /// <param name="filter">Keeps an object when true; null keeps all.</param>
    /// <returns>Copies of the objects and the resourceVersion of the list.</returns>
    public (List<JsonObject> Items, long ResourceVersion) List(ResourceKind kind, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (_lock)
        {
            var items = Table(kind).Values
                .Where(o => ns is null || NamespaceOf(o) == ns)
                .Where(o => filter is null || filter(o))
                .Select(Copy)
                .ToList();
            return (items, _resourceVersion);
        }
    }

    /// <summary>Creates an object, filling in uid, creationTimestamp, resourceVersion and generation.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="ns">Namespace from the URL, or null.</param>
    /// <param name="body">The object as sent.</param>
    /// <returns>The stored object.</returns>
    /// <exception cref="ApiException">Invalid name or namespace, missing namespace, or already exists.</exception>
    public JsonObject Create(ResourceKind kind, string? ns, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var obj = Copy(body);
        var meta = Metadata(obj);
        var name = (string?)meta["name"];
        if (string.IsNullOrEmpty(name) && meta["generateName"] is JsonValue generate)
        {
            name = (string)generate! + RandomSuffix();
            meta["name"] = name;
        }

        if (string.IsNullOrEmpty(name))
        {
            throw ApiException.Invalid(kind, string.Empty, "metadata.name: Required value: name or generateName is required");
        }

        if (!Names.IsDnsSubdomain(name))
        {
            throw ApiException.Invalid(kind, name, $"metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
        }

        if (kind.Namespaced)
        {
            var bodyNs = (string?)meta["namespace"];
            if (bodyNs is not null && ns is not null && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = ns ??= bodyNs ?? "default";
        }
        else
        {
            meta.Remove("namespace");
            ns = null;
        }

        obj["kind"] = kind.Kind;
        obj["apiVersion"] = kind.ApiVersion;
        Normalize(kind, obj, null);
        lock (_lock)
        {
            if (ns is not null && !Table(ResourceKind.Namespaces).ContainsKey(Key(null, ns)))
            {
                throw new ApiException(404, "NotFound", $"namespaces \"{ns}\" not found", "namespaces", ns);
            }

            if (ns is not null && Table(ResourceKind.Namespaces)[Key(null, ns)]["metadata"]?["deletionTimestamp"] is not null)
            {
                throw new ApiException(403, "Forbidden", $"{kind.Plural} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
            }

            var table = Table(kind);
            if (table.ContainsKey(Key(ns, name)))
            {
                throw ApiException.AlreadyExists(kind, name);
            }

            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = Now();
            meta.Remove("deletionTimestamp");
            if (obj["spec"] is not null)
            {
                meta["generation"] = 1;
            }

            meta["resourceVersion"] = Next();
            table[Key(ns, name)] = obj;
            Publish("ADDED", kind, null, obj);
            return Copy(obj);
        }
    }

    /// <summary>
    /// Replaces an object (PUT). A non-empty metadata.resourceVersion must match the stored one; status is kept
    /// for resources with a status subresource; generation goes up when spec changes.
    /// </summary>
    /// <param name="kind">The resource.</param>
    /// <param name="ns">Namespace or null.</param>
    /// <param name="name">Name from the URL.</param>
    /// <param name="body">The new object.</param>
    /// <param name="statusOnly">True for PUT on the status subresource: only status is taken from the body.</param>
    /// <returns>The stored object.</returns>
    /// <exception cref="ApiException">Not found, name mismatch, or a stale resourceVersion.</exception>
    public JsonObject Update(ResourceKind kind, string? ns, string name, JsonObject body, bool statusOnly = false)
    {
        ArgumentNullException.ThrowIfNull(body);
        var incoming = Copy(body);
        var meta = Metadata(incoming);
        if ((string?)meta["name"] is string bodyName && bodyName != name)
        {
            throw ApiException.BadRequest("the name of the object does not match the name on the URL");
        }

        lock (_lock)
        {
            var table = Table(kind);
            if (!table.TryGetValue(Key(ns, name), out var current))
            {
                throw ApiException.NotFound(kind, name);
            }

            var sentVersion = (string?)meta["resourceVersion"];
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != (string?)current["metadata"]!["resourceVersion"])
            {
                throw ApiException.Conflict(kind, name);
            }

            JsonObject next;
            if (statusOnly)
            {
                next = Copy(current);
                next["status"] = incoming["status"]?.DeepClone();
            }
            else
            {
                next = incoming;
                next["kind"] = kind.Kind;
                next["apiVersion"] = kind.ApiVersion;
                Normalize(kind, next, current);
                var nextMeta = Metadata(next);
                foreach (var kept in new[] { "uid", "creationTimestamp", "namespace", "deletionTimestamp", "generation" })
                {
                    nextMeta[kept] = current["metadata"]![kept]?.DeepClone();
                }

                nextMeta["name"] = name;
                if (HasStatusSubresource(kind))
                {
                    next["status"] = current["status"]?.DeepClone();
                }

                if (next["spec"] is not null && !JsonNode.DeepEquals(next["spec"], current["spec"]))
                {
                    nextMeta["generation"] = (JsonNumbers.Long(current["metadata"]!["generation"]) ?? 0) + 1;
                }
            }

            RemoveNulls(Metadata(next));
            Metadata(next)["resourceVersion"] = Next();
            table[Key(ns, name)] = next;
            Publish("MODIFIED", kind, current, next);
            return Copy(next);
        }
    }

    /// <summary>Changes a stored object in place (controllers: status, deletionTimestamp); a MODIFIED event follows.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="ns">Namespace or null.</param>
    /// <param name="name">Name.</param>
    /// <param name="change">Edits a copy of the object; return false to leave it unchanged.</param>
    /// <returns>The stored object, or null when it does not exist.</returns>
    public JsonObject? Mutate(ResourceKind kind, string? ns, string name, Func<JsonObject, bool> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_lock)
        {
            var table = Table(kind);
            if (!table.TryGetValue(Key(ns, name), out var current))
            {
                return null;
            }

            var next = Copy(current);
            if (!change(next) || JsonNode.DeepEquals(next, current))
            {
                return Copy(current);
            }

            Metadata(next)["resourceVersion"] = Next();
            table[Key(ns, name)] = next;
            Publish("MODIFIED", kind, current, next);
            return Copy(next);
        }
    }

    /// <summary>Removes an object; a DELETED event carries its last state.</summary>
    /// <param name="kind">The resource.</param>
    /// <param name="ns">Namespace or null.</param>
    /// <param name="name">Name.</param>
    /// <returns>The removed object.</returns>
    /// <exception cref="ApiException">Not found.</exception>
    public JsonObject Remove(ResourceKind kind, string? ns, string name)
    {
        lock (_lock)
        {
            var table = Table(kind);
            if (!table.Remove(Key(ns, name), out var current))
            {
                throw ApiException.NotFound(kind, name);
            }

            var last = Copy(current);
            Metadata(last)["resourceVersion"] = Next();
            Publish("DELETED", kind, current, last);
            return Copy(last);
        }
    }

    /// <summary>
    /// Follows changes of one resource from <paramref name="fromResourceVersion"/> (exclusive): recorded changes
    /// after it are replayed first, then live ones.
    /// </summary>
    /// <param name="kind">The resource.</param>
    /// <param name="ns">Namespace or null for all.</param>
    /// <param name="fromResourceVersion">Version to resume after, or null for "now".</param>
    /// <returns>The watcher (dispose it).</returns>
    /// <exception cref="ApiException">410 Expired when the version is older than the history.</exception>
    public StoreWatcher Watch(ResourceKind kind, string? ns, long? fromResourceVersion)
    {
        lock (_lock)
        {
            if (fromResourceVersion is long from && from < _oldestResourceVersion)
            {
                throw ApiException.Gone(from, _oldestResourceVersion);
            }

            var watcher = new StoreWatcher(kind, ns, Unsubscribe);
            if (fromResourceVersion is long after)
            {
                foreach (var change in _history.Where(e => e.ResourceVersion > after && e.Kind == kind))
                {
                    if (ns is null || NamespaceOf(change.Object) == ns)
                    {
                        watcher.Events.Writer.TryWrite(change);
                    }
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    /// <summary>Ends every open watch (their channels complete), as when the API server stops.</summary>
    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers.ToList())
            {
                watcher.Events.Writer.TryComplete();
            }
        }
    }

    /// <summary>The namespace of an object ("" for cluster-scoped).</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The namespace.</returns>
    public static string NamespaceOf(JsonObject obj) => (string?)obj["metadata"]?["namespace"] ?? string.Empty;

    /// <summary>The name of an object.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The name.</returns>
    public static string NameOf(JsonObject obj) => (string?)obj["metadata"]?["name"] ?? string.Empty;

    /// <summary>A deep copy.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>The copy.</returns>
    public static JsonObject Copy(JsonObject obj) => (JsonObject)obj.DeepClone();

    /// <summary>The current UTC time in the API's format (RFC 3339, seconds).</summary>
    /// <returns>The timestamp.</returns>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool HasStatusSubresource(ResourceKind kind) => kind.HasStatus;

    private static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject meta)
        {
            meta = [];
            obj["metadata"] = meta;
        }

        return meta;
    }

    private static void RemoveNulls(JsonObject obj)
    {
        foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }
    }

    private static string Key(string? ns, string name) => $"{ns}/{name}";

    private static string RandomSuffix() => RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5);

    private void Unsubscribe(StoreWatcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    private SortedDictionary<string, JsonObject> Table(ResourceKind kind)
    {
        if (!_objects.TryGetValue(kind, out var table))
        {
            table = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[kind] = table;
        }

        return table;
    }

    private string Next() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private void Publish(string type, ResourceKind kind, JsonObject? old, JsonObject obj)
    {
        var change = new StoreEvent(type, kind, old is null ? null : Copy(old), Copy(obj), _resourceVersion);
        _history.Add(change);
        if (_history.Count > HistoryCapacity)
        {
            _oldestResourceVersion = _history[0].ResourceVersion;
            _history.RemoveAt(0);
        }

        foreach (var watcher in _watchers)
        {
            if (watcher.Kind == kind && (watcher.Namespace is null || watcher.Namespace == NamespaceOf(obj)))
            {
                watcher.Events.Writer.TryWrite(change);
            }
        }
    }

    private static void Normalize(ResourceKind kind, JsonObject obj, JsonObject? current)
    {
        // Secrets: stringData is write-only and merged into data as base64 (Kubernetes API reference: Secret).
        if (kind == ResourceKind.Secrets && obj["stringData"] is JsonObject stringData)
        {
            var data = obj["data"] as JsonObject ?? [];
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? string.Empty));
            }

            obj["data"] = data;
            obj.Remove("stringData");
        }

        if (kind == ResourceKind.Namespaces && current is null)
        {
            obj["spec"] ??= new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
            var labels = obj["metadata"]!["labels"] as JsonObject ?? [];
            labels["kubernetes.io/metadata.name"] = (string?)obj["metadata"]!["name"];
            obj["metadata"]!["labels"] = labels;
        }
    }
}
