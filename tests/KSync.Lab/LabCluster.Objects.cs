using System.Text;
using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.Lab.Controllers;
using KSync.Lab.Nodes;

namespace KSync.Lab;

/// <content>The objects a fresh lab has (namespaces, nodes, the default StorageClass) and its kubeconfig.</content>
public sealed partial class LabCluster
{
    private void SeedObjects()
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Store.Create(ResourceKind.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        Store.Create(ResourceKind.StorageClasses, null, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = VolumeBinder.StorageClass,
                ["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" },
            },
            ["provisioner"] = "lab.ksync.dev/local",
            ["reclaimPolicy"] = "Delete",
            ["volumeBindingMode"] = "WaitForFirstConsumer",
        });

        foreach (var node in Nodes)
        {
            var spec = new JsonObject();
            if (node.Tainted)
            {
                spec["taints"] = new JsonArray(new JsonObject { ["key"] = TaintKey, ["value"] = TaintValue, ["effect"] = "NoSchedule" });
            }

            var runtime = node.Runtime == NodeRuntime.Docker ? "docker" : "containerd";
            var created = Store.Create(ResourceKind.Nodes, null, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = node.Name,
                    ["labels"] = new JsonObject
                    {
                        ["kubernetes.io/hostname"] = node.Name,
                        ["kubernetes.io/os"] = "linux",
                        ["kubernetes.io/arch"] = "amd64",
                        [RuntimeLabel] = runtime,
                    },
                },
                ["spec"] = spec,
            });
            Store.Mutate(ResourceKind.Nodes, null, node.Name, n =>
            {
                n["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "Ready",
                        ["status"] = "True",
                        ["reason"] = "KubeletReady",
                        ["message"] = "lab kubelet is posting ready status",
                        ["lastHeartbeatTime"] = ObjectStore.Now(),
                        ["lastTransitionTime"] = (string?)created["metadata"]!["creationTimestamp"],
                    }),
                    ["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "127.0.0.1" }, new JsonObject { ["type"] = "Hostname", ["address"] = node.Name }),
                    ["nodeInfo"] = new JsonObject
                    {
                        ["kubeletVersion"] = ApiServer.GitVersion,
                        ["containerRuntimeVersion"] = _engines[node.Name].RuntimeVersion,
                        ["operatingSystem"] = "linux",
                        ["architecture"] = "amd64",
                        ["osImage"] = "ksync lab",
                        ["kernelVersion"] = Environment.OSVersion.Version.ToString(),
                    },
                };
                return true;
            });
        }
    }

    private void WriteKubeconfig()
    {
        var name = Options.ContextName;
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes(CertificateAuthorityPem));
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: {name}
                cluster:
                  server: {ServerUrl}
                  certificate-authority-data: {ca}
            users:
              - name: {name}
                user:
                  token: {Token}
            contexts:
              - name: {name}
                context:
                  cluster: {name}
                  user: {name}
                  namespace: default
            current-context: {name}

            """;
        File.WriteAllText(KubeconfigPath, text);
    }
}
