using System.Globalization;
using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>
/// Server-side printing for kubectl (Kubernetes API Concepts: "Receiving resources as Tables"): a
/// <c>meta.k8s.io/v1 Table</c> with the columns kubectl shows for pods, DaemonSets, nodes and namespaces, and
/// Name/Age for the rest. Row objects follow <c>includeObject</c> (default Metadata: PartialObjectMetadata).
/// </summary>
internal static class TableFormatter
{
    /// <summary>The content type of a Table response.</summary>
    public const string ContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    /// <summary>Whether the client asked for a Table in its Accept header.</summary>
    /// <param name="request">The request.</param>
    /// <returns>True for Table.</returns>
    public static bool IsRequested(HttpRequest request)
        => request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    /// <summary>Formats objects as a Table.</summary>
    /// <param name="kind">Their resource.</param>
    /// <param name="items">The objects.</param>
    /// <param name="resourceVersion">The list's resourceVersion.</param>
    /// <param name="request">The request (for includeObject).</param>
    /// <returns>The Table object.</returns>
    public static JsonObject Format(ResourceKind kind, IEnumerable<JsonObject> items, long resourceVersion, HttpRequest request)
    {
        var include = request.Query["includeObject"].ToString();
        var (columns, cells) = Columns(kind);
        var rows = new JsonArray();
        foreach (var item in items)
        {
            var row = new JsonObject { ["cells"] = new JsonArray([.. cells(item)]) };
            row["object"] = include switch
            {
                "None" => null,
                "Object" => item.DeepClone(),
                _ => new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                },
            };
            rows.Add(row);
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Name == "Name" ? "name" : string.Empty,
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            })]),
            ["rows"] = rows,
        };
    }

    private static ((string Name, string Type, int Priority)[] Columns, Func<JsonObject, JsonNode?[]> Cells) Columns(ResourceKind kind)
    {
        if (kind == ResourceKind.Pods)
        {
            return (
                [("Name", "string", 0), ("Ready", "string", 0), ("Status", "string", 0), ("Restarts", "string", 0), ("Age", "string", 0), ("IP", "string", 1), ("Node", "string", 1)],
                pod =>
                {
                    var statuses = pod["status"]?["containerStatuses"] as JsonArray ?? [];
                    var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
                    var ready = statuses.Count(s => (bool?)s?["ready"] == true);
                    var restarts = statuses.Sum(s => (int?)s?["restartCount"] ?? 0);
                    var waiting = statuses.Select(s => (string?)s?["state"]?["waiting"]?["reason"]).FirstOrDefault(r => r is not null);
                    var status = pod["metadata"]?["deletionTimestamp"] is not null ? "Terminating" : waiting ?? (string?)pod["status"]?["phase"] ?? "Unknown";
                    return [Name(pod), $"{ready}/{total}", status, restarts.ToString(CultureInfo.InvariantCulture), Age(pod), (string?)pod["status"]?["podIP"] ?? "<none>", (string?)pod["spec"]?["nodeName"] ?? "<none>"];
                });
        }

        if (kind == ResourceKind.DaemonSets)
        {
            return (
                [("Name", "string", 0), ("Desired", "integer", 0), ("Current", "integer", 0), ("Ready", "integer", 0), ("Up-to-date", "integer", 0), ("Available", "integer", 0), ("Node Selector", "string", 0), ("Age", "string", 0)],
                ds =>
                {
                    var status = ds["status"];
                    var selector = ds["spec"]?["template"]?["spec"]?["nodeSelector"] as JsonObject;
                    return [
                        Name(ds),
                        (int?)status?["desiredNumberScheduled"] ?? 0,
                        (int?)status?["currentNumberScheduled"] ?? 0,
                        (int?)status?["numberReady"] ?? 0,
                        (int?)status?["updatedNumberScheduled"] ?? 0,
                        (int?)status?["numberAvailable"] ?? 0,
                        selector is null ? "<none>" : string.Join(',', selector.Select(p => $"{p.Key}={p.Value}")),
                        Age(ds),
                    ];
                });
        }

        if (kind == ResourceKind.Nodes)
        {
            return (
                [("Name", "string", 0), ("Status", "string", 0), ("Roles", "string", 0), ("Age", "string", 0), ("Version", "string", 0)],
                node =>
                {
                    var ready = (node["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == "Ready");
                    var status = (string?)ready?["status"] == "True" ? "Ready" : "NotReady";
                    if ((bool?)node["spec"]?["unschedulable"] == true)
                    {
                        status += ",SchedulingDisabled";
                    }

                    return [Name(node), status, "<none>", Age(node), (string?)node["status"]?["nodeInfo"]?["kubeletVersion"] ?? string.Empty];
                });
        }

        if (kind == ResourceKind.Namespaces)
        {
            return ([("Name", "string", 0), ("Status", "string", 0), ("Age", "string", 0)], ns => [Name(ns), (string?)ns["status"]?["phase"] ?? "Active", Age(ns)]);
        }

        return ([("Name", "string", 0), ("Age", "string", 0)], obj => [Name(obj), Age(obj)]);
    }

    private static string Name(JsonObject obj) => ObjectStore.NameOf(obj);

    private static string Age(JsonObject obj)
    {
        if (!DateTime.TryParse((string?)obj["metadata"]?["creationTimestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }

        var age = DateTime.UtcNow - created;
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
