using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Controllers;

/// <summary>
/// Whether a pod may run on a node, from the Node objects in the store (so <c>kubectl taint</c> and
/// <c>kubectl label</c> work): nodeSelector against the node's labels, the node's NoSchedule and NoExecute taints
/// against the pod's tolerations (Kubernetes docs: "Taints and Tolerations"), cordoned nodes, and the node affinity
/// of local PersistentVolumes the pod's claims are bound to.
/// </summary>
internal static class Placement
{
    /// <summary>Whether <paramref name="pod"/> fits <paramref name="node"/>.</summary>
    /// <param name="pod">The pod (or a DaemonSet's template as a pod).</param>
    /// <param name="node">The Node object.</param>
    /// <param name="store">The store, for PVCs and PVs; null to skip the volume check.</param>
    /// <returns>True when the scheduler may put it there.</returns>
    public static bool Fits(JsonObject pod, JsonObject node, ObjectStore? store)
    {
        var labels = node["metadata"]?["labels"] as JsonObject;
        if (pod["spec"]?["nodeSelector"] is JsonObject selector && selector.Any(p => (string?)labels?[p.Key] != (string?)p.Value))
        {
            return false;
        }

        var tolerations = (pod["spec"]?["tolerations"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var taints = Taints(node).Where(t => (string?)t["effect"] is "NoSchedule" or "NoExecute").ToList();
        if ((bool?)node["spec"]?["unschedulable"] == true)
        {
            taints.Add(new JsonObject { ["key"] = "node.kubernetes.io/unschedulable", ["effect"] = "NoSchedule" });
        }

        if (taints.Any(t => !Tolerated(t, tolerations)))
        {
            return false;
        }

        return store is null || VolumeNode(pod, store) is not string required || required == ObjectStore.NameOf(node);
    }

    /// <summary>The node's taints.</summary>
    /// <param name="node">The Node object.</param>
    /// <returns>Its spec.taints.</returns>
    public static IEnumerable<JsonObject> Taints(JsonObject node) => (node["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>Whether one of <paramref name="tolerations"/> tolerates <paramref name="taint"/>.</summary>
    /// <param name="taint">The taint (key, value, effect).</param>
    /// <param name="tolerations">The pod's tolerations.</param>
    /// <returns>True when tolerated.</returns>
    public static bool Tolerated(JsonObject taint, IEnumerable<JsonObject> tolerations)
        => tolerations.Any(t =>
        {
            var key = (string?)t["key"] ?? string.Empty;
            var op = (string?)t["operator"] ?? "Equal";
            var effect = (string?)t["effect"] ?? string.Empty;
            var keyMatches = key.Length == 0 ? op == "Exists" : key == (string?)taint["key"];
            var valueMatches = op == "Exists" || (string?)t["value"] == ((string?)taint["value"] ?? string.Empty);
            return keyMatches && valueMatches && (effect.Length == 0 || effect == (string?)taint["effect"]);
        });

    /// <summary>The node a pod's bound local volumes pin it to, or null.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="store">The store.</param>
    /// <returns>The node name, or null when no bound volume has node affinity.</returns>
    public static string? VolumeNode(JsonObject pod, ObjectStore store)
    {
        foreach (var claim in Claims(pod))
        {
            var pvc = store.Get(ResourceKind.PersistentVolumeClaims, ObjectStore.NamespaceOf(pod), claim);
            if ((string?)pvc?["spec"]?["volumeName"] is string pvName && store.Get(ResourceKind.PersistentVolumes, null, pvName) is JsonObject pv)
            {
                var terms = pv["spec"]?["nodeAffinity"]?["required"]?["nodeSelectorTerms"] as JsonArray;
                var values = terms?.OfType<JsonObject>().SelectMany(t => t["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>()
                    .Where(e => (string?)e["key"] == "kubernetes.io/hostname").SelectMany(e => e["values"] as JsonArray ?? []).Select(v => (string?)v).FirstOrDefault();
                if (values is not null)
                {
                    return values;
                }
            }
        }

        return null;
    }

    /// <summary>The claim names of a pod's persistentVolumeClaim volumes.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>Claim names.</returns>
    public static IEnumerable<string> Claims(JsonObject pod)
        => (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(v => (string?)v["persistentVolumeClaim"]?["claimName"]).OfType<string>();
}
