using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>
/// The DaemonSet <c>init</c> installs runs as containers on every node, from the image built from radar/Dockerfile,
/// and each node's runtime shows exactly what the manifest asks for: <c>docker inspect</c> on the Docker node, the OCI
/// spec containerd made (<c>ctr containers info</c>, what <c>crictl inspect</c> shows) on the containerd node.
/// </summary>
[Collection(LabGroup.Name)]
public sealed class AgentContainerTests(LabFixture fixture) : IDisposable
{
    // Mounts every runtime adds on its own (the pod's /etc files, /dev/shm), not from the pod spec.
    private static readonly string[] s_runtimeMounts = ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf", "/dev/shm", "/dev/termination-log"];

    private readonly TempDirectory _home = new("ksync-home");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Init_AgentContainersOnBothRuntimes_HaveExactlyTheManifestsMountsCapabilitiesAndUser()
    {
        var lab = fixture.LabOnly("inspects the nodes' engines");
        var init = await PluginCli.RunAsync(_home.Path, "init", "--remote", "--kubeconfig", lab.KubeconfigPath, "--timeout", "120s");
        Assert.True(init.ExitCode == 0, init.Output);
        try
        {
            var template = (JsonObject)lab.Store.Get(ResourceKind.DaemonSets, "ksync", "ksync")!["spec"]!["template"]!["spec"]!;
            var volumes = ((JsonArray)template["volumes"]!).OfType<JsonObject>().ToDictionary(v => (string)v["name"]!, v => (string)v["hostPath"]!["path"]!);
            Assert.True((bool?)template["hostPID"] == true, "the manifest asks for hostPID");
            foreach (var node in lab.Nodes)
            {
                var podName = lab.AgentPods()[node.Name];
                var pod = lab.Store.Get(ResourceKind.Pods, "ksync", podName)!;
                foreach (var container in ((JsonArray)template["containers"]!).OfType<JsonObject>())
                {
                    var name = (string)container["name"]!;
                    var status = ((JsonArray)pod["status"]!["containerStatuses"]!).OfType<JsonObject>().Single(s => (string?)s["name"] == name);
                    var id = (string)status["containerID"]!;
                    var expectedMounts = ((JsonArray)container["volumeMounts"]!).OfType<JsonObject>()
                        .Select(m => $"{volumes[(string)m["name"]!]} -> {(string)m["mountPath"]!} {((bool?)m["readOnly"] == true ? "ro" : "rw")} {((string?)m["mountPropagation"] == "HostToContainer" ? "rslave" : "rprivate")}")
                        .Order().ToList();
                    var security = (JsonObject)container["securityContext"]!;
                    var expectedAdd = ((JsonArray)security["capabilities"]!["add"]!).Select(c => "CAP_" + (string)c!).Order().ToList();
                    var expectedUser = $"{(long)security["runAsUser"]!}:{(long)security["runAsGroup"]!}";
                    var readOnlyRoot = (bool?)security["readOnlyRootFilesystem"] == true;
                    var actual = node.Runtime == NodeRuntime.Docker
                        ? await DockerFactsAsync(lab.DockerOf(node.Name)!, id["docker://".Length..])
                        : await ContainerdFactsAsync(lab.ContainerdOf(node.Name)!, id["containerd://".Length..]);
                    var where = $"{name} on {node.Name} ({node.Runtime})";
                    Assert.True(expectedMounts.SequenceEqual(actual.Mounts), $"{where} mounts:\nexpected {string.Join("; ", expectedMounts)}\nactual   {string.Join("; ", actual.Mounts)}");
                    Assert.True(expectedAdd.SequenceEqual(actual.Capabilities), $"{where} capabilities: expected {string.Join(",", expectedAdd)}, actual {string.Join(",", actual.Capabilities)}");
                    Assert.Equal(expectedUser, actual.User);
                    Assert.Equal(readOnlyRoot, actual.ReadOnlyRoot);
                    Assert.True(actual.NoNewPrivileges, $"{where}: allowPrivilegeEscalation: false must set no_new_privs");
                    Assert.True(actual.HostPid, $"{where}: hostPID must share the node's PID namespace");
                    Assert.Equal(true, (bool?)status["ready"]);
                }
            }
        }
        finally
        {
            var clean = await PluginCli.RunAsync(_home.Path, "clean", "--remote", "--kubeconfig", lab.KubeconfigPath);
            Assert.True(clean.ExitCode == 0, clean.Output);
        }
    }

    // docker inspect: HostConfig.Binds "src:dst:opts", CapAdd after CapDrop ALL, Config.User, ReadonlyRootfs, SecurityOpt, PidMode.
    private static async Task<ContainerFacts> DockerFactsAsync(DockerEngine engine, string id)
    {
        var inspect = (JsonArray)JsonNode.Parse(await engine.CliOkAsync("inspect", id))!;
        var c = (JsonObject)inspect[0]!;
        var host = (JsonObject)c["HostConfig"]!;
        Assert.Equal(["ALL"], ((JsonArray)host["CapDrop"]!).Select(x => (string)x!));
        var mounts = ((JsonArray)c["Mounts"]!).OfType<JsonObject>()
            .Select(m => $"{(string)m["Source"]!} -> {(string)m["Destination"]!} {((bool)m["RW"]! ? "rw" : "ro")} {(string)m["Propagation"]!}")
            .Order().ToList();
        return new ContainerFacts(
            mounts,
            ((JsonArray)host["CapAdd"]!).Select(x => (string)x!).Select(x => x.StartsWith("CAP_", StringComparison.Ordinal) ? x : "CAP_" + x).Order().ToList(),
            (string)c["Config"]!["User"]!,
            (bool)host["ReadonlyRootfs"]!,
            ((JsonArray?)host["SecurityOpt"] ?? []).Any(o => (string?)o is "no-new-privileges" or "no-new-privileges:true"),
            (string?)host["PidMode"] == "host");
    }

    // ctr containers info: the OCI runtime spec containerd's CRI plugin generated (what crictl inspect prints as runtimeSpec).
    private static async Task<ContainerFacts> ContainerdFactsAsync(ContainerdEngine engine, string id)
    {
        var info = (await engine.CtrAsync(["containers", "info", id])).EnsureSuccess().Stdout;
        var spec = (JsonObject)JsonNode.Parse(info)!["Spec"]!;
        var mounts = ((JsonArray)spec["mounts"]!).OfType<JsonObject>()
            .Where(m => (string?)m["type"] == "bind" && !s_runtimeMounts.Contains((string)m["destination"]!))
            .Select(m =>
            {
                var options = ((JsonArray)m["options"]!).Select(o => (string)o!).ToList();
                var propagation = options.FirstOrDefault(o => o is "rslave" or "rshared" or "rprivate" or "slave" or "shared" or "private") ?? "rprivate";
                return $"{(string)m["source"]!} -> {(string)m["destination"]!} {(options.Contains("ro") ? "ro" : "rw")} {propagation}";
            })
            .Order().ToList();
        var process = (JsonObject)spec["process"]!;
        var bounding = ((JsonArray)process["capabilities"]!["bounding"]!).Select(x => (string)x!).Order().ToList();
        var effective = ((JsonArray)process["capabilities"]!["effective"]!).Select(x => (string)x!).Order().ToList();
        Assert.Equal(bounding, effective);
        // hostPID: no pid namespace of its own; containerd joins the sandbox's, which must be the node's (this host's).
        var pidNamespace = ((JsonArray)spec["linux"]!["namespaces"]!).OfType<JsonObject>().FirstOrDefault(n => (string?)n["type"] == "pid");
        var hostPid = pidNamespace is null
            || ((string?)pidNamespace["path"] is string path && new FileInfo(path).LinkTarget == new FileInfo("/proc/self/ns/pid").LinkTarget);
        return new ContainerFacts(
            mounts,
            bounding,
            $"{(long)process["user"]!["uid"]!}:{(long)process["user"]!["gid"]!}",
            (bool?)spec["root"]?["readonly"] == true,
            (bool?)process["noNewPrivileges"] == true,
            hostPid);
    }

    private sealed record ContainerFacts(List<string> Mounts, List<string> Capabilities, string User, bool ReadOnlyRoot, bool NoNewPrivileges, bool HostPid);
}
