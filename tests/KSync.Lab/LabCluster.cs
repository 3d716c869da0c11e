using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KSync.Lab.Agents;
using KSync.Lab.Api;
using KSync.Lab.Kubelet;
using KSync.TestKit;

namespace KSync.Lab;

/// <summary>
/// The lab cluster in one object: a private Docker engine, the test API server (HTTPS, bearer token, a kubeconfig
/// that points at it), lab nodes, the kubelet that backs pods with real containers, and the DaemonSet controller
/// that runs node agents (radar + syncthing) as host processes. <c>await LabCluster.StartAsync()</c> in a test
/// fixture, <c>await lab.DisposeAsync()</c> to stop everything (containers, processes, engine, temp folder).
/// </summary>
public sealed partial class LabCluster : IAsyncDisposable
{
    /// <summary>Key of the taint tainted lab nodes carry (effect NoSchedule).</summary>
    public const string TaintKey = "lab.ksync.dev/dedicated";

    /// <summary>Value of that taint.</summary>
    public const string TaintValue = "infra";

    private readonly bool _ownsRoot;
    private readonly StreamWriter _log;
    private LabCertificates? _certificates;
    private ApiServer? _api;
    private LabKubelet? _kubelet;
    private NodeAgents? _agents;
    private NamespaceController? _namespaces;
    private DockerEngine? _engine;

    private LabCluster(LabOptions options, string root, bool ownsRoot)
    {
        Options = options;
        RootDirectory = root;
        _ownsRoot = ownsRoot;
        Directory.CreateDirectory(root);
        _log = new StreamWriter(Path.Combine(root, "lab.log"), append: true) { AutoFlush = true };
        Nodes = [.. Enumerable.Range(1, options.NodeCount).Select(i => new LabNode($"lab-node-{i}", options.TaintedNodes.Contains($"lab-node-{i}")))];
        Token = "lab-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        LabId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    /// <summary>Gets the options the lab was started with.</summary>
    public LabOptions Options { get; }

    /// <summary>Gets the lab's folder: kubeconfig, lab.log, nodes/&lt;node&gt;/ (kubelet pods, agents, syncthing homes).</summary>
    public string RootDirectory { get; }

    /// <summary>Gets the path of the kubeconfig that points at the lab (context <see cref="LabOptions.ContextName"/>).</summary>
    public string KubeconfigPath => Path.Combine(RootDirectory, "kubeconfig");

    /// <summary>Gets the lab's nodes.</summary>
    public IReadOnlyList<LabNode> Nodes { get; }

    /// <summary>Gets the bearer token the API server accepts.</summary>
    public string Token { get; }

    /// <summary>Gets the API server's URL (https://127.0.0.1:port).</summary>
    public string ServerUrl => _api!.Url;

    /// <summary>Gets the CA certificate in PEM form (what the kubeconfig carries as certificate-authority-data).</summary>
    public string CertificateAuthorityPem => _certificates!.AuthorityPem;

    /// <summary>Gets the lab's Docker engine.</summary>
    public DockerEngine Engine => _engine!;

    /// <summary>Gets the lab's ID (label value of its containers).</summary>
    public string LabId { get; }

    /// <summary>Gets the access rules: deny verbs to test missing rights (SelfSubjectAccessReview and 403s).</summary>
    internal AccessRules Access { get; } = new();

    /// <summary>Gets the object store behind the API server.</summary>
    internal ObjectStore Store { get; } = new();

    /// <summary>
    /// Starts a lab: engine, API server, nodes, kubelet, agents; writes the kubeconfig. Skips the test locally (fails
    /// it under CI=true) when Docker, syncthing or root is missing.
    /// </summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running lab.</returns>
    public static async Task<LabCluster> StartAsync(LabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LabOptions();
        var syncthing = options.RunNodeAgents ? Requires.Tool("syncthing", "syncthing") : string.Empty;
        var ownsRoot = options.RootDirectory is null;
        var root = options.RootDirectory ?? Path.Combine(Path.GetTempPath(), "ksync-lab-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var lab = new LabCluster(options, Path.GetFullPath(root), ownsRoot);
        try
        {
            lab._engine = await DockerEngine.StartAsync(cancellationToken);
            await lab._engine.CliOkAsync("tag", DockerEngine.BusyboxImage, "busybox:latest");
            lab._certificates = LabCertificates.Create();
            lab.SeedObjects();
            var events = new EventRecorder(lab.Store);
            lab._kubelet = new LabKubelet(lab.Store, lab._engine, events, lab.Nodes, lab.RootDirectory, lab.LabId, lab._log);
            if (options.RunNodeAgents)
            {
                var radar = await Binaries.RadarAsync(cancellationToken);
                var host = new AgentHost(lab.Store, lab.RootDirectory, lab._engine.SocketPath, radar, syncthing, lab._engine);
                lab._agents = new NodeAgents(lab.Store, events, lab.Nodes, host, lab._log);
            }

            lab._namespaces = new NamespaceController(lab.Store);
            lab._api = new ApiServer(lab.Store, lab.Access, lab._certificates.Server, lab.Token, lab.ConnectAsync, lab._log);
            await lab._api.StartAsync(options.ApiPort, cancellationToken);
            lab.WriteKubeconfig();
            lab._kubelet.Start();
            lab._agents?.Start();
            lab._namespaces.Start();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the API server and starts it again on the same port, as when a control plane restarts: open watches and
    /// port-forwards break, objects stay.
    /// </summary>
    /// <param name="compact">Also forget the change history, so watches resuming from an old resourceVersion get 410.</param>
    /// <param name="downtime">How long the server stays down; default none.</param>
    /// <param name="cancellationToken">Cancels the restart.</param>
    /// <returns>A task that completes when the server answers again.</returns>
    public async Task RestartApiServerAsync(bool compact = false, TimeSpan? downtime = null, CancellationToken cancellationToken = default)
    {
        var port = _api!.Port;
        await _api.StopAsync();
        if (compact)
        {
            Store.Compact();
        }

        if (downtime is { } wait)
        {
            await Task.Delay(wait, cancellationToken);
        }

        await _api.StartAsync(port, cancellationToken);
    }

    /// <summary>Stops the API server (clients get connection refused) until <see cref="StartApiServerAsync"/>.</summary>
    /// <returns>A task that completes when it is down.</returns>
    public Task StopApiServerAsync() => _api!.StopAsync();

    /// <summary>Starts the API server again on its port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes when it answers.</returns>
    public Task StartApiServerAsync(CancellationToken cancellationToken = default) => _api!.StartAsync(_api.Port, cancellationToken);

    /// <summary>Forgets the change history: every watch resuming from an older resourceVersion gets 410 Gone.</summary>
    public void CompactHistory() => Store.Compact();

    /// <summary>Sets how often watches that asked for them get BOOKMARK events (default 1 s).</summary>
    /// <param name="interval">The interval.</param>
    public void SetBookmarkInterval(TimeSpan interval) => _api!.BookmarkInterval = interval;

    /// <summary>Makes the node agent on a node fail with a waiting reason (null clears the fault).</summary>
    /// <param name="node">Node name.</param>
    /// <param name="fault">The fault.</param>
    /// <returns>A task that completes when the agent pod was replaced.</returns>
    public Task SetAgentFaultAsync(string node, AgentFault? fault)
        => _agents?.SetFaultAsync(node, fault) ?? throw new InvalidOperationException("The lab runs without node agents.");

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_namespaces is not null)
        {
            await _namespaces.DisposeAsync();
        }

        if (_agents is not null)
        {
            await _agents.DisposeAsync();
        }

        if (_kubelet is not null)
        {
            await _kubelet.DisposeAsync();
        }

        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }

        _certificates?.Dispose();
        await _log.DisposeAsync();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task<Stream> ConnectAsync(JsonObject pod, int port, CancellationToken cancellationToken)
    {
        if (_agents?.Find(pod) is AgentPod agent)
        {
            return await agent.ConnectAsync(port, cancellationToken);
        }

        return await _kubelet!.ConnectAsync(pod, port, cancellationToken);
    }

    private void SeedObjects()
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            Store.Create(ResourceKind.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        foreach (var node in Nodes)
        {
            var spec = new JsonObject();
            if (node.Tainted)
            {
                spec["taints"] = new JsonArray(new JsonObject { ["key"] = TaintKey, ["value"] = TaintValue, ["effect"] = "NoSchedule" });
            }

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
                        ["containerRuntimeVersion"] = "docker://20.10",
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
