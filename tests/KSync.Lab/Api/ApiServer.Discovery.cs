using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <content>
/// /version, /healthz and the legacy discovery documents (Kubernetes API Concepts: "Discovery API" — APIVersions,
/// APIGroupList, APIGroup, APIResourceList). Aggregated discovery is not served: clients that ask for it accept
/// the legacy documents, as they do from servers older than 1.26.
/// </content>
internal sealed partial class ApiServer
{
    /// <summary>The Kubernetes version the lab claims.</summary>
    public const string GitVersion = "v1.32.0-ksync-lab";

    private async Task<bool> TryDiscoveryAsync(HttpContext context, string[] s)
    {
        if (context.Request.Method != "GET")
        {
            return false;
        }

        JsonObject? body = s switch
        {
            ["version"] => new JsonObject
            {
                ["major"] = "1",
                ["minor"] = "32",
                ["gitVersion"] = GitVersion,
                ["gitCommit"] = "0000000000000000000000000000000000000000",
                ["gitTreeState"] = "clean",
                ["buildDate"] = "2026-01-01T00:00:00Z",
                ["goVersion"] = "go1.23",
                ["compiler"] = "gc",
                ["platform"] = "linux/amd64",
            },
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = $"127.0.0.1:{Port}" }),
            },
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray([.. Groups().Select(g => (JsonNode)Group(g))]),
            },
            ["apis", var group] when Groups().Contains(group) => Group(group),
            ["api", "v1"] => Resources(string.Empty, "v1"),
            ["apis", var group, var version] when Groups().Contains(group) && version == "v1" => Resources(group, version),
            _ => null,
        };

        if (s is ["healthz" or "livez" or "readyz"])
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return true;
        }

        if (body is null)
        {
            return false;
        }

        await WriteJsonAsync(context, 200, body);
        return true;
    }

    private static IEnumerable<string> Groups() => ResourceKind.All.Select(k => k.Group).Where(g => g.Length > 0).Distinct();

    private static JsonObject Group(string group)
    {
        var version = new JsonObject { ["groupVersion"] = $"{group}/v1", ["version"] = "v1" };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(version),
            ["preferredVersion"] = version.DeepClone(),
        };
    }

    private static JsonObject Resources(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var kind in ResourceKind.All.Where(k => k.Group == group && k.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = kind.Plural,
                ["singularName"] = kind.Singular,
                ["namespaced"] = kind.Namespaced,
                ["kind"] = kind.Kind,
                ["verbs"] = new JsonArray([.. kind.Verbs.Select(v => (JsonNode)v)]),
                ["shortNames"] = kind.ShortNames.Length == 0 ? null : new JsonArray([.. kind.ShortNames.Select(v => (JsonNode)v)]),
            });
            if (kind.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = kind.Plural + "/status",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = kind.Namespaced,
                    ["kind"] = kind.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }

            if (kind == ResourceKind.Pods)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/portforward",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = true,
                    ["kind"] = "PodPortForwardOptions",
                    ["verbs"] = new JsonArray("create", "get"),
                });
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/exec",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = true,
                    ["kind"] = "PodExecOptions",
                    ["verbs"] = new JsonArray("create", "get"),
                });
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/log",
                    ["singularName"] = string.Empty,
                    ["namespaced"] = true,
                    ["kind"] = "Pod",
                    ["verbs"] = new JsonArray("get"),
                });
            }
        }

        foreach (var item in resources.OfType<JsonObject>())
        {
            if (item["shortNames"] is null)
            {
                item.Remove("shortNames");
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
