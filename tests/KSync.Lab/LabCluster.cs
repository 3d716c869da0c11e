using System.Security.Cryptography;
using System.Text.Json.Nodes;
using KSync.Lab.Api;
using KSync.Lab.Controllers;
using KSync.Lab.Images;
using KSync.Lab.Kubelet;
using KSync.Lab.Nodes;
using KSync.TestKit;

namespace KSync.Lab;

/// <summary>
/// The lab cluster in one object: nodes, each with its own container engine in its own mount namespace (Docker or
/// containerd/CRI, see <see cref="NodeFilesystem"/>) and its own kubelet; the test API server (HTTPS, bearer token, a
/// kubeconfig that points at it); the scheduler, the DaemonSet controller, the volume binder, NoExecute eviction and
/// the namespace controller; and a registry holding the node agent image built from radar/Dockerfile. <c>await
/// LabCluster.StartAsync()</c> in a test fixture, <c>await lab.DisposeAsync()</c> to stop everything.
/// </summary>
public sealed partial class LabCluster : IAsyncDisposable, IPodRuntime
{
    /// <summary>Key of the taint tainted lab nodes carry (effect NoSchedule).</summary>
    public const string TaintKey = "lab.ksync.dev/dedicated";

    /// <summary>Value of that taint.</summary>
    public const string TaintValue = "infra";

    /// <summary>Label of every lab node with its runtime ("docker" or "containerd").</summary>
    public const string RuntimeLabel = "lab.ksync.dev/runtime";

    private readonly bool _ownsRoot;
    private readonly StreamWriter _log;
    private readonly Dictionary<string, NodeKubelet> _kubelets = [];
    private readonly List<DockerEvents> _dockerEvents = [];
    private readonly ImageRegistry _registry = new();
    private LabCertificates? _certificates;
    private ApiServer? _api;
    private Scheduler? _scheduler;
    private DaemonSetController? _daemonSets;
    private TaintEviction? _eviction;
    private NamespaceController? _namespaces;

    private LabCluster(LabOptions options, string root, bool ownsRoot)
    {
        Options = options;
        RootDirectory = root;
        _ownsRoot = ownsRoot;
        Directory.CreateDirectory(root);
        _log = new StreamWriter(Path.Combine(root, "lab.log"), append: true) { AutoFlush = true };
        Nodes = [.. Enumerable.Range(1, options.NodeCount).Select(i => new LabNode($"lab-node-{i}", LabOptions.RuntimeOf(i), options.TaintedNodes.Contains($"lab-node-{i}")))];
        Token = "lab-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        LabId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        NodesDirectory = Path.Combine("/tmp", "kl-" + LabId);
    }

    /// <summary>Gets the options the lab was started with.</summary>
    public LabOptions Options { get; }

    /// <summary>Gets the lab's folder: kubeconfig, lab.log.</summary>
    public string RootDirectory { get; }

    /// <summary>Gets the folder of the nodes' roots (<c>/tmp/kl-LABID/NODE</c>, short for unix socket paths).</summary>
    public string NodesDirectory { get; }

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

    /// <summary>Gets the Docker engine of the first Docker node (lab-node-1).</summary>
    public DockerEngine Engine => _kubelets.Values.Select(k => k.Engine).OfType<DockerNodeEngine>().First().Engine;

    /// <summary>Gets the node agent image <c>kubectl ksync init</c> installs by default (the lab's registry has it).</summary>
    public string AgentImage { get; private set; } = string.Empty;

    /// <summary>Gets a second tag of the agent image in the lab's registry, for rollouts.</summary>
    public string RolloutImage => Images.AgentImage.RolloutImage;

    /// <summary>Gets the lab's ID (label value of its containers, part of its folders' names).</summary>
    public string LabId { get; }

    /// <summary>Gets the access rules: deny verbs to test missing rights (SelfSubjectAccessReview and 403s).</summary>
    internal AccessRules Access { get; } = new();

    /// <summary>Gets the object store behind the API server.</summary>
    internal ObjectStore Store { get; } = new();

    /// <summary>
    /// Starts a lab: node engines, the agent image, API server, controllers, kubelets; writes the kubeconfig. Skips the
    /// test locally (fails it under CI=true) when Docker, containerd, syncthing or root is missing.
    /// </summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running lab.</returns>
    public static async Task<LabCluster> StartAsync(LabOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LabOptions();
        Requires.Root();
        Requires.Tool("syncthing", "syncthing");
        var ownsRoot = options.RootDirectory is null;
        var root = options.RootDirectory ?? Path.Combine(Path.GetTempPath(), "ksync-lab-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        var lab = new LabCluster(options, Path.GetFullPath(root), ownsRoot);
        try
        {
            await lab.StartNodesAsync(cancellationToken);
            lab._certificates = LabCertificates.Create();
            lab.SeedObjects();
            var events = new EventRecorder(lab.Store);
            var binder = new VolumeBinder(lab.Store);
            lab._scheduler = new Scheduler(lab.Store, events, binder);
            lab._daemonSets = new DaemonSetController(lab.Store, events);
            lab._eviction = new TaintEviction(lab.Store, events);
            lab._namespaces = new NamespaceController(lab.Store);
            lab._api = new ApiServer(lab.Store, lab.Access, lab._certificates.Server, lab.Token, lab, lab._log);
            await lab._api.StartAsync(options.ApiPort, cancellationToken);
            lab.WriteKubeconfig();
            foreach (var node in lab.Nodes)
            {
                var engine = lab._engines[node.Name];
                var kubelet = new NodeKubelet(node, engine, lab.Store, events, lab._registry, lab._log);
                lab._kubelets[node.Name] = kubelet;
                if (engine is DockerNodeEngine docker)
                {
                    lab._dockerEvents.Add(DockerEvents.Start(Requires.Tool("docker", "docker.io"), docker.Engine.Endpoint, lab.LabLabel, kubelet.OnDockerEvent));
                }

                kubelet.Start();
            }

            lab._engines.Clear();
            lab._scheduler.Start();
            lab._daemonSets.Start();
            lab._eviction.Start();
            lab._namespaces.Start();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The kubelet of a node.</summary>
    /// <param name="node">Node name.</param>
    /// <returns>The kubelet.</returns>
    internal NodeKubelet Kubelet(string node) => _kubelets[node];

    /// <summary>The engine of a node.</summary>
    /// <param name="node">Node name.</param>
    /// <returns>The engine.</returns>
    internal INodeEngine NodeEngine(string node) => _kubelets[node].Engine;

    /// <summary>The Docker engine of a Docker node (for <c>docker inspect</c> in tests), or null for a containerd node.</summary>
    /// <param name="node">Node name.</param>
    /// <returns>The engine.</returns>
    public DockerEngine? DockerOf(string node) => (_kubelets[node].Engine as DockerNodeEngine)?.Engine;

    /// <summary>The containerd of a containerd node (for <c>ctr</c> in tests), or null for a Docker node.</summary>
    /// <param name="node">Node name.</param>
    /// <returns>The engine.</returns>
    public ContainerdEngine? ContainerdOf(string node) => (_kubelets[node].Engine as ContainerdNodeEngine)?.Engine;

    /// <summary>The first node that runs <paramref name="runtime"/>.</summary>
    /// <param name="runtime">The runtime.</param>
    /// <returns>The node.</returns>
    public LabNode NodeOf(NodeRuntime runtime) => Nodes.First(n => n.Runtime == runtime);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        foreach (var controller in new IAsyncDisposable?[] { _namespaces, _eviction, _daemonSets, _scheduler })
        {
            if (controller is not null)
            {
                await controller.DisposeAsync();
            }
        }

        foreach (var follower in _dockerEvents)
        {
            await follower.DisposeAsync();
        }

        foreach (var kubelet in _kubelets.Values)
        {
            await kubelet.DisposeAsync();
        }

        await Task.WhenAll(_kubelets.Values.Select(k => k.Engine.DisposeAsync().AsTask()).Concat(_engines.Values.Select(e => e.DisposeAsync().AsTask())));
        _certificates?.Dispose();
        await _log.DisposeAsync();
        TryDelete(NodesDirectory);
        if (_ownsRoot)
        {
            TryDelete(RootDirectory);
        }
    }

    async Task<Stream> IPodRuntime.ConnectAsync(JsonObject pod, int port, CancellationToken cancellationToken)
        => await KubeletOf(pod).ConnectAsync(pod, port, cancellationToken);

    (string FileName, string[] Arguments) IPodRuntime.ExecCommand(JsonObject pod, string container, IReadOnlyList<string> command, bool tty)
    {
        var record = KubeletOf(pod).Find(ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod));
        if (record is null || !record.Containers.TryGetValue(container, out var current))
        {
            throw ApiException.BadRequest($"unable to upgrade connection: container not found (\"{container}\")");
        }

        return KubeletOf(pod).Engine.ExecCommand(current.Id, command, tty);
    }

    IAsyncEnumerable<(DateTime Time, string Line)> IPodRuntime.LogsAsync(JsonObject pod, string container, bool previous, bool follow, CancellationToken cancellationToken)
    {
        var kubelet = KubeletOf(pod);
        var record = kubelet.Find(ObjectStore.NamespaceOf(pod), ObjectStore.NameOf(pod));
        var instance = record is null ? null : previous ? record.Previous.GetValueOrDefault(container) : record.Containers.GetValueOrDefault(container);
        if (instance is null)
        {
            throw ApiException.BadRequest(previous
                ? $"previous terminated container \"{container}\" in pod \"{ObjectStore.NameOf(pod)}\" not found"
                : $"container \"{container}\" in pod \"{ObjectStore.NameOf(pod)}\" is waiting to start: ContainerCreating");
        }

        return kubelet.Engine.ReadLogsAsync(instance.Id, instance.LogPath, follow && !previous, cancellationToken);
    }

    private readonly Dictionary<string, INodeEngine> _engines = [];

    private string LabLabel => $"{NodeKubelet.LabLabel}={LabId}";

    private NodeKubelet KubeletOf(JsonObject pod)
        => (string?)pod["spec"]?["nodeName"] is string node && _kubelets.TryGetValue(node, out var kubelet)
            ? kubelet
            : throw ApiException.BadRequest($"pod {ObjectStore.NameOf(pod)} is not running on a node");

    private async Task StartNodesAsync(CancellationToken cancellationToken)
    {
        var starts = Nodes.Select(async (node, i) =>
        {
            var fs = new NodeFilesystem(Path.Combine(NodesDirectory, node.Name));
            INodeEngine engine = node.Runtime == NodeRuntime.Docker
                ? await DockerNodeEngine.StartAsync(fs, i + 1, LabLabel, cancellationToken)
                : await ContainerdNodeEngine.StartAsync(fs, i + 1, LabLabel, cancellationToken);
            lock (_engines)
            {
                _engines[node.Name] = engine;
            }

            return engine;
        }).ToList();
        var engines = await Task.WhenAll(starts);
        var docker = engines.OfType<DockerNodeEngine>().FirstOrDefault() ?? throw new InvalidOperationException("the lab needs at least one Docker node to build the agent image");
        var (image, archive) = await Images.AgentImage.BuildAsync(docker.Engine, NodesDirectory, cancellationToken);
        AgentImage = image;
        _registry.Add(archive, image, RolloutImage);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
