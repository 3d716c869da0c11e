using System.Globalization;
using System.Text.Json.Nodes;
using KSync.Lab.Api;

namespace KSync.Lab.Controllers;

/// <summary>
/// A minimal PersistentVolume binder and local provisioner. A claim binds to an Available PersistentVolume of its
/// storage class with enough capacity and the access modes it asks for; when there is none and the claim's class is
/// <see cref="StorageClass"/> (the lab's default), a local PersistentVolume is provisioned for it on the node of the
/// first pod that uses it (volumeBindingMode WaitForFirstConsumer): <c>/var/lib/lab-volumes/pvc-UID</c> on that node,
/// with node affinity to it, reclaim policy Delete. Deleting the claim deletes a provisioned volume (not its files:
/// documented lab difference).
/// </summary>
internal sealed class VolumeBinder
{
    /// <summary>The lab's default StorageClass (provisioner <c>lab.ksync.dev/local</c>).</summary>
    public const string StorageClass = "lab-local";

    private readonly ObjectStore _store;

    /// <summary>Creates the binder.</summary>
    /// <param name="store">The store.</param>
    public VolumeBinder(ObjectStore store)
    {
        _store = store;
    }

    /// <summary>Binds (or provisions) every unbound claim of a pod being scheduled to <paramref name="node"/>.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The chosen node.</param>
    /// <returns>False when a claim is missing or cannot be bound (the pod stays pending).</returns>
    public bool BindClaims(JsonObject pod, string node)
    {
        var ns = ObjectStore.NamespaceOf(pod);
        foreach (var claimName in Controllers.Placement.Claims(pod))
        {
            var claim = _store.Get(ResourceKind.PersistentVolumeClaims, ns, claimName);
            if (claim is null)
            {
                return false;
            }

            if (!string.IsNullOrEmpty((string?)claim["spec"]?["volumeName"]))
            {
                continue;
            }

            var pv = FindAvailable(claim) ?? Provision(claim, node);
            if (pv is null)
            {
                return false;
            }

            Bind(claim, pv);
        }

        return true;
    }

    private JsonObject? FindAvailable(JsonObject claim)
    {
        var storageClass = (string?)claim["spec"]?["storageClassName"] ?? StorageClass;
        var requested = Quantity((string?)claim["spec"]?["resources"]?["requests"]?["storage"]);
        return _store.List(ResourceKind.PersistentVolumes, null, pv =>
                (string?)pv["status"]?["phase"] is null or "Available"
                && pv["spec"]?["claimRef"] is null
                && ((string?)pv["spec"]?["storageClassName"] ?? string.Empty) == storageClass
                && Quantity((string?)pv["spec"]?["capacity"]?["storage"]) >= requested)
            .Items.OrderBy(pv => Quantity((string?)pv["spec"]?["capacity"]?["storage"])).FirstOrDefault();
    }

    private JsonObject? Provision(JsonObject claim, string node)
    {
        if (((string?)claim["spec"]?["storageClassName"] ?? StorageClass) != StorageClass)
        {
            return null;
        }

        var name = "pvc-" + (string)claim["metadata"]!["uid"]!;
        return _store.Create(ResourceKind.PersistentVolumes, null, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["annotations"] = new JsonObject { ["pv.kubernetes.io/provisioned-by"] = "lab.ksync.dev/local" },
            },
            ["spec"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["storage"] = (string?)claim["spec"]?["resources"]?["requests"]?["storage"] ?? "1Gi" },
                ["accessModes"] = claim["spec"]?["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
                ["persistentVolumeReclaimPolicy"] = "Delete",
                ["storageClassName"] = StorageClass,
                ["volumeMode"] = "Filesystem",
                ["local"] = new JsonObject { ["path"] = $"/var/lib/lab-volumes/{name}" },
                ["nodeAffinity"] = new JsonObject
                {
                    ["required"] = new JsonObject
                    {
                        ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                        {
                            ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "kubernetes.io/hostname", ["operator"] = "In", ["values"] = new JsonArray(node) }),
                        }),
                    },
                },
            },
        });
    }

    private void Bind(JsonObject claim, JsonObject pv)
    {
        var pvName = ObjectStore.NameOf(pv);
        _store.Mutate(ResourceKind.PersistentVolumes, null, pvName, p =>
        {
            p["spec"]!["claimRef"] = new JsonObject
            {
                ["kind"] = "PersistentVolumeClaim",
                ["namespace"] = ObjectStore.NamespaceOf(claim),
                ["name"] = ObjectStore.NameOf(claim),
                ["uid"] = (string?)claim["metadata"]!["uid"],
            };
            p["status"] = new JsonObject { ["phase"] = "Bound" };
            return true;
        });
        _store.Mutate(ResourceKind.PersistentVolumeClaims, ObjectStore.NamespaceOf(claim), ObjectStore.NameOf(claim), c =>
        {
            c["spec"]!["volumeName"] = pvName;
            c["spec"]!["storageClassName"] ??= (string?)pv["spec"]?["storageClassName"];
            c["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = pv["spec"]?["accessModes"]?.DeepClone(),
                ["capacity"] = pv["spec"]?["capacity"]?.DeepClone(),
            };
            return true;
        });
    }

    // Binary and decimal suffixes of resource quantities (Kubernetes API reference: Quantity), in bytes.
    private static double Quantity(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var suffixes = new (string Suffix, double Factor)[] { ("Ki", 1024), ("Mi", 1024d * 1024), ("Gi", 1024d * 1024 * 1024), ("Ti", 1024d * 1024 * 1024 * 1024), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12) };
        foreach (var (suffix, factor) in suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value * factor;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : 0;
    }
}
