using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab;

/// <summary>Writes core/v1 Events about pods, as the kubelet and the controllers of a real cluster do.</summary>
internal sealed class EventRecorder
{
    private readonly ObjectStore _store;

    /// <summary>Creates the recorder.</summary>
    /// <param name="store">Where events are stored.</param>
    public EventRecorder(ObjectStore store)
    {
        _store = store;
    }

    /// <summary>Records an event about an object.</summary>
    /// <param name="involved">The object (pod or DaemonSet).</param>
    /// <param name="type">"Normal" or "Warning".</param>
    /// <param name="reason">Short reason, e.g. "Started", "Failed".</param>
    /// <param name="message">What happened.</param>
    /// <param name="component">Reporting component, e.g. "kubelet".</param>
    public void Record(JsonObject involved, string type, string reason, string message, string component = "kubelet")
    {
        var ns = ObjectStore.NamespaceOf(involved);
        var name = ObjectStore.NameOf(involved);
        var now = ObjectStore.Now();
        try
        {
            _store.Create(ResourceKind.Events, ns.Length == 0 ? "default" : ns, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = $"{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}" },
                ["involvedObject"] = new JsonObject
                {
                    ["kind"] = (string?)involved["kind"],
                    ["apiVersion"] = (string?)involved["apiVersion"],
                    ["name"] = name,
                    ["namespace"] = ns,
                    ["uid"] = (string?)involved["metadata"]?["uid"],
                },
                ["type"] = type,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = new JsonObject { ["component"] = component, ["host"] = (string?)involved["spec"]?["nodeName"] },
                ["reportingComponent"] = component,
                ["firstTimestamp"] = now,
                ["lastTimestamp"] = now,
                ["count"] = 1,
            });
        }
        catch (ApiException)
        {
            // The namespace is going away; events are best effort, as in a real cluster.
        }
    }

    /// <summary>Formats an integer for labels.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Invariant text.</returns>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
