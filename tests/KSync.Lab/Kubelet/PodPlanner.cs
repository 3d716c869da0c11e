using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.Lab.Kubelet;

/// <summary>
/// Turns a pod's spec into what a node engine runs, as the kubelet does: the environment (values, downward-API
/// fieldRefs, Secret keys), the volumes on the node (emptyDir under <c>/var/lib/kubelet/pods/UID</c> with fsGroup
/// ownership, hostPath with its type check, PersistentVolumeClaims through their bound PersistentVolume), and the
/// effective security settings (pod securityContext merged under the container's; runAsNonRoot checked against the
/// image's user). A problem is a <see cref="PlanException"/> whose reason becomes the container's waiting reason
/// (CreateContainerConfigError), as on a cluster.
/// </summary>
internal sealed class PodPlanner
{
    private readonly ObjectStore _store;
    private readonly NodeFilesystem _node;

    /// <summary>Creates the planner of one node.</summary>
    /// <param name="store">The object store (Secrets, PVCs, PVs).</param>
    /// <param name="node">The node's filesystem.</param>
    public PodPlanner(ObjectStore store, NodeFilesystem node)
    {
        _store = store;
        _node = node;
    }

    /// <summary>The node folder of a pod: <c>/var/lib/kubelet/pods/UID</c>.</summary>
    /// <param name="uid">Pod UID.</param>
    /// <returns>The node path.</returns>
    public static string PodDirectory(string uid)
        => string.IsNullOrEmpty(uid) ? throw new ArgumentException("a pod UID is required", nameof(uid)) : $"/var/lib/kubelet/pods/{uid}";

    /// <summary>Resolves one container of a pod.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="container">The container's spec.</param>
    /// <param name="attempt">Attempt number.</param>
    /// <param name="image">What the node knows about the container's image.</param>
    /// <param name="podIp">The pod's IP (downward API status.podIP).</param>
    /// <returns>The plan.</returns>
    /// <exception cref="PlanException">A referenced object is missing, a volume is invalid, or runAsNonRoot cannot hold.</exception>
    public ContainerPlan Plan(JsonObject pod, JsonObject container, int attempt, ImageFacts image, string podIp)
    {
        var name = (string)container["name"]!;
        var podSecurity = pod["spec"]?["securityContext"] as JsonObject;
        var security = container["securityContext"] as JsonObject;
        var runAsUser = Long(security?["runAsUser"]) ?? Long(podSecurity?["runAsUser"]);
        var runAsGroup = Long(security?["runAsGroup"]) ?? Long(podSecurity?["runAsGroup"]);
        var runAsNonRoot = (bool?)security?["runAsNonRoot"] ?? (bool?)podSecurity?["runAsNonRoot"] ?? false;
        if (runAsNonRoot)
        {
            CheckNonRoot(pod, name, runAsUser, image);
        }

        var groups = (podSecurity?["supplementalGroups"] as JsonArray ?? []).Select(g => Long(g)!.Value).ToList();
        if (Long(podSecurity?["fsGroup"]) is long fsGroup && !groups.Contains(fsGroup))
        {
            groups.Add(fsGroup);
        }

        var command = Strings(container["command"]);
        var args = container["args"] is JsonArray ? Strings(container["args"]) : null;
        if (command.Count == 0 && args is null && !image.HasCommand)
        {
            // Neither the pod nor the image names a command (an imported rootfs): idle, so the pod can be exec'd into.
            command = [.. IdleCommand];
        }

        return new ContainerPlan
        {
            Name = name,
            Image = (string?)container["image"] ?? string.Empty,
            Attempt = attempt,
            Command = command,
            Args = args,
            WorkingDir = (string?)container["workingDir"],
            Environment = Environment(pod, container, podIp),
            Mounts = Mounts(pod, container, out var binds),
            VolumeBinds = binds,
            RunAsUser = runAsUser,
            RunAsGroup = runAsGroup,
            SupplementalGroups = groups,
            CapabilitiesAdd = Strings(security?["capabilities"]?["add"]),
            CapabilitiesDrop = Strings(security?["capabilities"]?["drop"]),
            ReadOnlyRootFilesystem = (bool?)security?["readOnlyRootFilesystem"] ?? false,
            Privileged = (bool?)security?["privileged"] ?? false,
            NoNewPrivileges = (bool?)security?["allowPrivilegeEscalation"] == false,
            AppArmorUnconfined = (string?)(security?["appArmorProfile"] ?? podSecurity?["appArmorProfile"])?["type"] == "Unconfined",
            Labels = new Dictionary<string, string>
            {
                ["io.kubernetes.pod.name"] = ObjectStore.NameOf(pod),
                ["io.kubernetes.pod.namespace"] = ObjectStore.NamespaceOf(pod),
                ["io.kubernetes.pod.uid"] = (string)pod["metadata"]!["uid"]!,
                ["io.kubernetes.container.name"] = name,
            },
        };
    }

    /// <summary>Removes the pod's node folder (its emptyDir volumes), as the kubelet does once the pod is gone.</summary>
    /// <param name="uid">Pod UID.</param>
    public void RemovePodDirectory(string uid)
    {
        ArgumentException.ThrowIfNullOrEmpty(uid);
        try
        {
            Directory.Delete(_node.HostPath(PodDirectory(uid)), recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The command of a container whose image has none.</summary>
    public static readonly IReadOnlyList<string> IdleCommand = ImageArchive.DefaultCommand;

    private static void CheckNonRoot(JsonObject pod, string container, long? runAsUser, ImageFacts image)
    {
        // Kubelet rules (verifyRunAsNonRoot): an explicit uid 0, or an image user that is root or not numeric, fails.
        var where = $"(pod: \"{ObjectStore.NameOf(pod)}_{ObjectStore.NamespaceOf(pod)}({(string?)pod["metadata"]?["uid"]})\", container: {container})";
        if (runAsUser == 0)
        {
            throw new PlanException("CreateContainerConfigError", $"container's runAsUser breaks non-root policy {where}");
        }

        if (runAsUser is not null)
        {
            return;
        }

        var user = image.User.Split(':')[0];
        if (user.Length == 0 || user == "root" || user == "0")
        {
            throw new PlanException("CreateContainerConfigError", $"container has runAsNonRoot and image will run as root {where}");
        }

        if (!long.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new PlanException("CreateContainerConfigError", $"container has runAsNonRoot and image has non-numeric user ({user}), cannot verify user is non-root {where}");
        }
    }

    private List<KeyValuePair<string, string>> Environment(JsonObject pod, JsonObject container, string podIp)
    {
        var env = new List<KeyValuePair<string, string>>();
        foreach (var item in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string)item["name"]!;
            string value;
            if (item["valueFrom"] is not JsonObject from)
            {
                value = (string?)item["value"] ?? string.Empty;
            }
            else if ((string?)from["fieldRef"]?["fieldPath"] is string field)
            {
                value = FieldRef(pod, field, podIp);
            }
            else if (from["secretKeyRef"] is JsonObject secretRef)
            {
                var secretName = (string)secretRef["name"]!;
                var key = (string)secretRef["key"]!;
                var secret = _store.Get(ResourceKind.Secrets, ObjectStore.NamespaceOf(pod), secretName);
                var data = (string?)secret?["data"]?[key];
                if (data is null)
                {
                    if ((bool?)secretRef["optional"] == true)
                    {
                        continue;
                    }

                    throw new PlanException("CreateContainerConfigError", secret is null ? $"secret \"{secretName}\" not found" : $"couldn't find key {key} in Secret {ObjectStore.NamespaceOf(pod)}/{secretName}");
                }

                value = Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            else
            {
                throw new PlanException("CreateContainerConfigError", $"lab: env {name}: only value, fieldRef and secretKeyRef are supported");
            }

            env.Add(new(name, value));
        }

        return env;
    }

    private static string FieldRef(JsonObject pod, string field, string podIp)
    {
        if (field.StartsWith("metadata.labels['", StringComparison.Ordinal) || field.StartsWith("metadata.annotations['", StringComparison.Ordinal))
        {
            var map = field.StartsWith("metadata.labels", StringComparison.Ordinal) ? "labels" : "annotations";
            var key = field[(field.IndexOf('\'', StringComparison.Ordinal) + 1)..field.LastIndexOf('\'')];
            return (string?)pod["metadata"]?[map]?[key] ?? string.Empty;
        }

        return field switch
        {
            "metadata.name" => ObjectStore.NameOf(pod),
            "metadata.namespace" => ObjectStore.NamespaceOf(pod),
            "metadata.uid" => (string?)pod["metadata"]?["uid"] ?? string.Empty,
            "spec.nodeName" => (string?)pod["spec"]?["nodeName"] ?? string.Empty,
            "spec.serviceAccountName" => (string?)pod["spec"]?["serviceAccountName"] ?? "default",
            "status.podIP" => podIp,
            "status.hostIP" => "127.0.0.1",
            _ => throw new PlanException("CreateContainerConfigError", $"lab: fieldRef {field} is not supported"),
        };
    }

    private List<PlannedMount> Mounts(JsonObject pod, JsonObject container, out List<KeyValuePair<string, string>> binds)
    {
        binds = [];
        var uid = (string)pod["metadata"]!["uid"]!;
        var volumes = (pod["spec"]?["volumes"] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(v => (string)v["name"]!);
        var fsGroup = Long(pod["spec"]?["securityContext"]?["fsGroup"]);
        var mounts = new List<PlannedMount>();
        foreach (var mount in (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var volumeName = (string)mount["name"]!;
            if (!volumes.TryGetValue(volumeName, out var volume))
            {
                throw new PlanException("CreateContainerConfigError", $"volume \"{volumeName}\" not found");
            }

            var source = Source(pod, uid, volume, fsGroup, binds);
            if ((string?)mount["subPath"] is { Length: > 0 } subPath)
            {
                source = $"{source.TrimEnd('/')}/{subPath}";
                Directory.CreateDirectory(_node.HostPath(source));
            }

            mounts.Add(new PlannedMount(source, (string)mount["mountPath"]!, (bool?)mount["readOnly"] == true, (string?)mount["mountPropagation"] ?? "None"));
        }

        return mounts;
    }

    private string Source(JsonObject pod, string uid, JsonObject volume, long? fsGroup, List<KeyValuePair<string, string>> binds)
    {
        var name = (string)volume["name"]!;
        if (volume["emptyDir"] is not null)
        {
            var path = $"{PodDirectory(uid)}/volumes/kubernetes.io~empty-dir/{name}";
            var host = _node.HostPath(path);
            if (!Directory.Exists(host))
            {
                Directory.CreateDirectory(host);
                File.SetUnixFileMode(host, (UnixFileMode)0b111_111_111);
                ApplyFsGroup(host, fsGroup);
            }

            return path;
        }

        if (volume["hostPath"] is JsonObject hostPath)
        {
            var path = (string)hostPath["path"]!;
            var host = _node.HostPath(path);
            switch ((string?)hostPath["type"] ?? string.Empty)
            {
                case "DirectoryOrCreate":
                    if (!Directory.Exists(host))
                    {
                        Directory.CreateDirectory(host);
                        File.SetUnixFileMode(host, (UnixFileMode)0b111_101_101);
                    }

                    break;
                case "Directory" when !Directory.Exists(host):
                    throw new PlanException("CreateContainerConfigError", $"hostPath type check failed: {path} is not a directory");
                case "File" when !File.Exists(host):
                    throw new PlanException("CreateContainerConfigError", $"hostPath type check failed: {path} is not a file");
                case "FileOrCreate" when !File.Exists(host):
                    Directory.CreateDirectory(Path.GetDirectoryName(host)!);
                    File.WriteAllBytes(host, []);
                    break;
            }

            return path;
        }

        if ((string?)volume["persistentVolumeClaim"]?["claimName"] is string claim)
        {
            var ns = ObjectStore.NamespaceOf(pod);
            var pvc = _store.Get(ResourceKind.PersistentVolumeClaims, ns, claim)
                ?? throw new PlanException("CreateContainerConfigError", $"persistentvolumeclaim \"{claim}\" not found");
            var pvName = (string?)pvc["spec"]?["volumeName"];
            var pv = pvName is null ? null : _store.Get(ResourceKind.PersistentVolumes, null, pvName);
            var path = (string?)pv?["spec"]?["local"]?["path"] ?? (string?)pv?["spec"]?["hostPath"]?["path"]
                ?? throw new PlanException("CreateContainerConfigError", $"persistentvolumeclaim \"{claim}\" is not bound");
            var host = _node.HostPath(path);
            Directory.CreateDirectory(host);
            ApplyFsGroup(host, fsGroup);

            // As the kubelet does: the volume is bind-mounted into the pod's volume folder, and the container gets that.
            var podVolume = $"{PodDirectory(uid)}/volumes/kubernetes.io~local-volume/{pvName}";
            Directory.CreateDirectory(_node.HostPath(podVolume));
            binds.Add(new(path, podVolume));
            return podVolume;
        }

        throw new PlanException("CreateContainerConfigError", $"lab: volume \"{name}\" has a type the lab does not support (emptyDir, hostPath, persistentVolumeClaim)");
    }

    // What the kubelet's SetVolumeOwnership does for emptyDir and PVC volumes: group fsGroup, group-writable, setgid dirs.
    private static void ApplyFsGroup(string hostPath, long? fsGroup)
    {
        if (fsGroup is not long gid)
        {
            return;
        }

        var g = gid.ToString(CultureInfo.InvariantCulture);
        ProcessRunner.RunAsync("chgrp", ["-R", g, hostPath]).GetAwaiter().GetResult().EnsureSuccess();
        ProcessRunner.RunAsync("chmod", ["-R", "g+rwX", hostPath]).GetAwaiter().GetResult().EnsureSuccess();
        ProcessRunner.ShellAsync($"find '{hostPath}' -type d -exec chmod g+s {{}} +").GetAwaiter().GetResult().EnsureSuccess();
    }

    private static long? Long(JsonNode? node) => node is null ? null : JsonNumbers.Long(node);

    private static List<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => (string)n!).ToList();
}
