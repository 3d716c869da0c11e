using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using KSync.Lab.Api;
using KSync.TestKit;

namespace KSync.Lab.Agents;

/// <summary>
/// Starts the node agent of a DaemonSet pod on the host: the published radar binary with <see cref="RadarArgs"/>,
/// and the host's syncthing with a home per node (the DaemonSet's hostPath) whose sync listener is moved to the
/// host port behind pod port 22000, with announce, relays and NAT off (a node syncthing is reached only through
/// port-forward). Environment from the pod spec: values, downward-API fieldRefs and Secret keys.
/// </summary>
internal sealed class AgentHost
{
    private readonly ObjectStore _store;
    private readonly string _root;
    private readonly string _dockerSocket;
    private readonly string _radar;
    private readonly string _syncthing;
    private readonly DockerEngine _engine;
    private HashSet<string>? _radarFlags;

    /// <summary>Creates the host.</summary>
    /// <param name="store">The object store (for Secrets).</param>
    /// <param name="root">Lab root folder.</param>
    /// <param name="dockerSocket">The lab engine's socket.</param>
    /// <param name="radar">Path of the radar binary.</param>
    /// <param name="syncthing">Path of syncthing.</param>
    /// <param name="engine">The lab's engine (runs each agent pod's sandbox container).</param>
    public AgentHost(ObjectStore store, string root, string dockerSocket, string radar, string syncthing, DockerEngine engine)
    {
        _engine = engine;
        _store = store;
        _root = root;
        _dockerSocket = dockerSocket;
        _radar = radar;
        _syncthing = syncthing;
    }

    /// <summary>Starts the agent of <paramref name="pod"/>.</summary>
    /// <param name="pod">The DaemonSet pod (nodeName set).</param>
    /// <param name="changed">Called when a process starts or exits.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running agent.</returns>
    public async Task<AgentPod> StartAsync(JsonObject pod, Action changed, CancellationToken cancellationToken)
    {
        var node = (string)pod["spec"]!["nodeName"]!;
        var name = ObjectStore.NameOf(pod);
        var folder = Path.Combine(_root, "nodes", node, "agents", name);
        Directory.CreateDirectory(folder);
        var ports = new Dictionary<int, int>();
        foreach (var port in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(c => c["ports"] as JsonArray ?? []).OfType<JsonObject>())
        {
            ports[(int)port["containerPort"]!] = FreePort.Next();
        }

        int Host(int podPort)
        {
            if (!ports.TryGetValue(podPort, out var host))
            {
                host = ports[podPort] = FreePort.Next();
            }

            return host;
        }

        _radarFlags ??= RadarArgs.ParseHelp((await ProcessRunner.RunAsync(_radar, ["--help"], cancellationToken: cancellationToken)).Stdout);
        var containers = new Dictionary<string, AgentProcess>();
        var dropped = new List<string>();
        var apiKey = string.Empty;
        var radarHealth = 0;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var containerName = (string)container["name"]!;
            var env = ResolveEnvironment(pod, container);
            var args = (container["args"] as JsonArray ?? []).Select(a => (string)a!).ToList();
            var command = ((container["command"] as JsonArray)?.Select(a => (string)a!).FirstOrDefault() ?? string.Empty).Split('/').Last();
            var log = Path.Combine(folder, containerName + ".log");
            if (command == "radar")
            {
                var mapped = RadarArgs.Map(args, Host, _dockerSocket, _radarFlags, dropped);
                radarHealth = _radarFlags.Contains("--health-port") ? Host(40320) : Host(40321);
                env["DOCKER_HOST"] = "unix://" + _dockerSocket;
                containers[containerName] = new AgentProcess(containerName, _radar, mapped, env, log, changed);
            }
            else if (command == "syncthing")
            {
                apiKey = env.GetValueOrDefault("STGUIAPIKEY", string.Empty);
                var home = Path.Combine(_root, "nodes", node, "syncthing");
                await PrepareSyncthingHomeAsync(home, Host(22000), cancellationToken);
                var mapped = args.Select(a => a.StartsWith("--home=", StringComparison.Ordinal) ? "--home=" + home
                    : a.StartsWith("--gui-address=", StringComparison.Ordinal) ? $"--gui-address=http://127.0.0.1:{Host(8384)}"
                    : a).ToList();
                containers[containerName] = new AgentProcess(containerName, _syncthing, mapped, env, log, changed);
            }
            else
            {
                throw new InvalidOperationException($"lab: the DaemonSet container '{containerName}' runs '{command}'; the lab runs only radar and syncthing");
            }
        }

        // A sandbox container stands for the pod in the engine, so its container ID is one radar can resolve.
        var uid = (string)pod["metadata"]!["uid"]!;
        var sandbox = await _engine.CliOkAsync(
            "run", "-d", "--name", $"k8s_POD_{name}_{ObjectStore.NamespaceOf(pod)}_{uid}_0", "--network", "none",
            "--label", $"io.kubernetes.pod.name={name}", "--label", $"io.kubernetes.pod.namespace={ObjectStore.NamespaceOf(pod)}",
            "--label", $"io.kubernetes.pod.uid={uid}", "--label", "io.kubernetes.container.name=POD",
            DockerEngine.BusyboxImage, "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");
        var agent = new AgentPod(uid, ports, radarHealth, apiKey, containers, dropped, sandbox, () => _engine.CliAsync(["rm", "-f", sandbox]));
        foreach (var process in containers.Values)
        {
            process.Start();
        }

        return agent;
    }

    private Dictionary<string, string> ResolveEnvironment(JsonObject pod, JsonObject container)
    {
        var env = new Dictionary<string, string>();
        foreach (var item in (container["env"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string)item["name"]!;
            if ((string?)item["value"] is string value)
            {
                env[name] = value;
            }
            else if ((string?)item["valueFrom"]?["fieldRef"]?["fieldPath"] is string field)
            {
                JsonNode? node = pod;
                foreach (var part in field.Split('.'))
                {
                    node = node?[part];
                }

                env[name] = node?.ToString() ?? string.Empty;
            }
            else if (item["valueFrom"]?["secretKeyRef"] is JsonObject secretRef)
            {
                var secret = _store.Get(ResourceKind.Secrets, ObjectStore.NamespaceOf(pod), (string)secretRef["name"]!);
                var data = (string?)secret?["data"]?[(string)secretRef["key"]!];
                env[name] = data is null ? string.Empty : Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
        }

        return env;
    }

    private async Task PrepareSyncthingHomeAsync(string home, int syncPort, CancellationToken cancellationToken)
    {
        var config = Path.Combine(home, "config.xml");
        if (!File.Exists(config))
        {
            Directory.CreateDirectory(home);
            (await ProcessRunner.RunAsync(_syncthing, ["generate", "--home=" + home, "--no-default-folder", "--skip-port-probing"], cancellationToken: cancellationToken)).EnsureSuccess();
        }

        var document = XDocument.Load(config);
        var options = document.Root!.Element("options")!;
        options.Elements("listenAddress").Remove();
        options.AddFirst(new XElement("listenAddress", $"tcp://127.0.0.1:{syncPort}"));
        foreach (var (element, value) in new[] { ("globalAnnounceEnabled", "false"), ("localAnnounceEnabled", "false"), ("relaysEnabled", "false"), ("natEnabled", "false"), ("urAccepted", "-1"), ("crashReportingEnabled", "false"), ("autoUpgradeIntervalH", "0"), ("startBrowser", "false") })
        {
            options.Element(element)?.Remove();
            options.Add(new XElement(element, value));
        }

        document.Save(config);
    }
}
