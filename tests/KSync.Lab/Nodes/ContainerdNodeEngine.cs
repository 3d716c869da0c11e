using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using KSync.Radar.Runtimes.Cri.V1;
using KSync.TestKit;

namespace KSync.Lab.Nodes;

/// <summary>
/// A containerd node: its private containerd (CRI plugin) in the node's mount namespace, driven through the CRI
/// gRPC API (the messages of radar/Runtimes/Cri/api.proto, the CRI's own names and field numbers) (<c>runtime.v1.RuntimeService</c>, <c>ImageService</c>) as the kubelet drives it: RunPodSandbox with the
/// pod's own network namespace set up by CNI (<see cref="PodNetwork"/>), CreateContainer/StartContainer with the
/// resolved security context and mounts, ContainerStatus, StopContainer, RemoveContainer. Images are imported with
/// <c>ctr images import</c> (nothing can be pulled); exec runs <c>ctr tasks exec</c> in the node's namespace; logs are
/// read from the CRI log files under <c>/var/log/pods</c>.
/// </summary>
internal sealed class ContainerdNodeEngine : INodeEngine
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(60);
    private readonly ContainerdEngine _engine;
    private readonly GrpcChannel _channel;
    private readonly RuntimeService.RuntimeServiceClient _runtime;
    private readonly ImageService.ImageServiceClient _images;
    private readonly string _labLabel;

    private ContainerdNodeEngine(ContainerdEngine engine, string labLabel, string version)
    {
        _engine = engine;
        _labLabel = labLabel;
        _channel = Channel(engine.SocketPath);
        _runtime = new RuntimeService.RuntimeServiceClient(_channel);
        _images = new ImageService.ImageServiceClient(_channel);
        RuntimeVersion = "containerd://" + version;
    }

    /// <inheritdoc/>
    public NodeRuntime Runtime => NodeRuntime.Containerd;

    /// <inheritdoc/>
    public string Scheme => "containerd";

    /// <inheritdoc/>
    public NodeFilesystem Filesystem => _engine.Node!;

    /// <inheritdoc/>
    public string RuntimeVersion { get; }

    /// <inheritdoc/>
    public int DaemonPid => _engine.Pid;

    /// <summary>Gets the node's engine (for ctr and the tests).</summary>
    public ContainerdEngine Engine => _engine;

    /// <summary>Starts the node's containerd with the lab's CNI and imports busybox as <c>busybox:latest</c>.</summary>
    /// <param name="node">The node's filesystem.</param>
    /// <param name="nodeIndex">1-based node index.</param>
    /// <param name="labLabel">"key=value" label every container of this lab carries.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The engine.</returns>
    public static async Task<ContainerdNodeEngine> StartAsync(NodeFilesystem node, int nodeIndex, string labLabel, CancellationToken cancellationToken)
    {
        var cni = Path.Combine(node.Root, "cni");
        await PodNetwork.WriteCniAsync(cni, nodeIndex);
        var engine = await ContainerdEngine.StartAsync(node, cni, cancellationToken);
        try
        {
            var archive = Path.Combine(node.Root, "busybox-latest.tar");
            await using (var file = File.Create(archive))
            {
                await ImageArchive.WriteDockerArchiveAsync(file, ["docker.io/library/busybox:latest"], cancellationToken);
            }

            (await engine.CtrAsync(["images", "import", archive], cancellationToken)).EnsureSuccess();
            File.Delete(archive);
            using var channel = Channel(engine.SocketPath);
            var version = await new RuntimeService.RuntimeServiceClient(channel).VersionAsync(new VersionRequest(), deadline: Deadline(), cancellationToken: cancellationToken);
            return new ContainerdNodeEngine(engine, labLabel, version.RuntimeVersion);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task LoadImageAsync(string archive, CancellationToken cancellationToken)
        => (await _engine.CtrAsync(["images", "import", archive], cancellationToken)).EnsureSuccess();

    /// <inheritdoc/>
    public async Task<ImageFacts?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        var status = await _images.ImageStatusAsync(new ImageStatusRequest { Image = new ImageSpec { Image = image } }, deadline: Deadline(), cancellationToken: cancellationToken);
        if (status.Image is null)
        {
            return null;
        }

        var user = status.Image.Uid is { } uid ? uid.Value.ToString(CultureInfo.InvariantCulture) : status.Image.Username;
        return new ImageFacts(user, HasCommand: true);
    }

    /// <inheritdoc/>
    public async Task<(string Id, string PodIp)> RunSandboxAsync(SandboxPlan plan, CancellationToken cancellationToken)
    {
        var response = await _runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = SandboxConfig(plan) }, deadline: Deadline(), cancellationToken: cancellationToken);
        var status = await _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = response.PodSandboxId }, deadline: Deadline(), cancellationToken: cancellationToken);
        return (response.PodSandboxId, plan.HostNetwork ? string.Empty : status.Status?.Network?.Ip ?? string.Empty);
    }

    /// <inheritdoc/>
    public async Task<int> SandboxPidAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            var status = await _runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId, Verbose = true }, deadline: Deadline(), cancellationToken: cancellationToken);
            return Pid(status.Info);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return 0;
        }
    }

    /// <inheritdoc/>
    public async Task RemoveSandboxAsync(string sandboxId, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandboxId }, deadline: Deadline(), cancellationToken: cancellationToken);
            await _runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandboxId }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
        }
    }

    /// <inheritdoc/>
    public async Task<string> CreateContainerAsync(string sandboxId, SandboxPlan sandbox, ContainerPlan plan, CancellationToken cancellationToken)
    {
        var security = new LinuxContainerSecurityContext
        {
            Capabilities = new Capability(),
            Privileged = plan.Privileged,
            NamespaceOptions = Namespaces(sandbox),
            ReadonlyRootfs = plan.ReadOnlyRootFilesystem,
            NoNewPrivs = plan.NoNewPrivileges,
            ApparmorProfile = plan.AppArmorUnconfined ? "unconfined" : string.Empty,
        };
        security.Capabilities.AddCapabilities.AddRange(plan.CapabilitiesAdd);
        security.Capabilities.DropCapabilities.AddRange(plan.CapabilitiesDrop);
        security.SupplementalGroups.AddRange(plan.SupplementalGroups);
        if (plan.RunAsUser is long user)
        {
            security.RunAsUser = new Int64Value { Value = user };
        }

        if (plan.RunAsGroup is long group)
        {
            security.RunAsGroup = new Int64Value { Value = group };
        }

        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = plan.Name, Attempt = (uint)plan.Attempt },
            Image = new ImageSpec { Image = plan.Image },
            WorkingDir = plan.WorkingDir ?? string.Empty,
            LogPath = plan.LogPath,
            Linux = new LinuxContainerConfig { SecurityContext = security },
        };
        config.Command.AddRange(plan.Command);
        config.Args.AddRange(plan.Args ?? []);
        config.Envs.AddRange(plan.Environment.Select(e => new KeyValue { Key = e.Key, Value = e.Value }));
        config.Mounts.AddRange(plan.Mounts.Select(m => new Mount
        {
            ContainerPath = m.ContainerPath,
            HostPath = m.NodePath,
            Readonly = m.ReadOnly,
            Propagation = m.Propagation switch
            {
                "HostToContainer" => MountPropagation.PropagationHostToContainer,
                "Bidirectional" => MountPropagation.PropagationBidirectional,
                _ => MountPropagation.PropagationPrivate,
            },
        }));
        foreach (var (key, value) in plan.Labels)
        {
            config.Labels[key] = value;
        }

        try
        {
            var created = await _runtime.CreateContainerAsync(
                new CreateContainerRequest { PodSandboxId = sandboxId, Config = config, SandboxConfig = SandboxConfig(sandbox) },
                deadline: Deadline(),
                cancellationToken: cancellationToken);
            return created.ContainerId;
        }
        catch (RpcException ex)
        {
            throw new EngineException(ex.Status.Detail);
        }
    }

    /// <inheritdoc/>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new EngineException(ex.Status.Detail);
        }
    }

    /// <inheritdoc/>
    public async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = (long)grace.TotalSeconds }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
        }
    }

    /// <inheritdoc/>
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
        }
    }

    /// <inheritdoc/>
    public async Task<EngineState> InspectAsync(string id, CancellationToken cancellationToken)
    {
        ContainerStatusResponse response;
        try
        {
            response = await _runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id, Verbose = true }, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return EngineState.Missing;
        }

        var status = response.Status;
        return new EngineState(
            true,
            status.State == ContainerState.ContainerRunning,
            status.ExitCode,
            status.StartedAt > 0 ? DateTime.UnixEpoch.AddTicks(status.StartedAt / 100) : null,
            status.FinishedAt > 0 ? DateTime.UnixEpoch.AddTicks(status.FinishedAt / 100) : null,
            status.State == ContainerState.ContainerRunning ? Pid(response.Info) : 0,
            status.Reason is { Length: > 0 } reason && reason != "Completed" ? reason + (status.Message is { Length: > 0 } m ? ": " + m : string.Empty) : null);
    }

    /// <inheritdoc/>
    public (string FileName, string[] Arguments) ExecCommand(string id, IReadOnlyList<string> command, bool tty)
        => _engine.CtrCommand(["tasks", "exec", "--exec-id", "lab-" + Guid.NewGuid().ToString("N")[..12], .. tty ? new[] { "--tty" } : [], id, .. command]);

    /// <inheritdoc/>
    public async IAsyncEnumerable<(DateTime Time, string Line)> ReadLogsAsync(string id, string? logPath, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (logPath is null)
        {
            yield break;
        }

        var path = Filesystem.HostPath(logPath);
        if (!File.Exists(path))
        {
            yield break;
        }

        // CRI log format: "<RFC3339Nano time> <stream> <P|F> <text>"; P marks a partial line continued by the next.
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var partial = string.Empty;
        while (!cancellationToken.IsCancellationRequested)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                if (!follow || !(await InspectAsync(id, cancellationToken)).Running)
                {
                    yield break;
                }

                await Task.Delay(200, cancellationToken);
                continue;
            }

            var parts = line.Split(' ', 4);
            if (parts.Length < 3)
            {
                continue;
            }

            var text = parts.Length == 4 ? parts[3] : string.Empty;
            if (parts[2] == "P")
            {
                partial += text;
                continue;
            }

            var time = DateTime.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var t) ? t : DateTime.UtcNow;
            yield return (time, partial + text);
            partial = string.Empty;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _engine.DisposeAsync();
    }

    private static DateTime Deadline() => DateTime.UtcNow + s_callTimeout;

    private static int Pid(Google.Protobuf.Collections.MapField<string, string> info)
        => info.TryGetValue("info", out var json) && JsonNode.Parse(json) is JsonObject o && (int?)o["pid"] is int pid ? pid : 0;

    private static NamespaceOption Namespaces(SandboxPlan plan) => new()
    {
        Network = plan.HostNetwork ? NamespaceMode.Node : NamespaceMode.Pod,
        Pid = plan.HostPid ? NamespaceMode.Node : NamespaceMode.Container,
        Ipc = NamespaceMode.Pod,
    };

    private static GrpcChannel Channel(string socket)
        => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    try
                    {
                        await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                        return new NetworkStream(s, ownsSocket: true);
                    }
                    catch
                    {
                        s.Dispose();
                        throw;
                    }
                },
            },
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });

    private PodSandboxConfig SandboxConfig(SandboxPlan plan)
    {
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = plan.PodName, Namespace = plan.Namespace, Uid = plan.Uid, Attempt = (uint)plan.Attempt },
            Hostname = plan.HostNetwork ? string.Empty : plan.PodName,
            LogDirectory = plan.LogDirectory,
            Linux = new LinuxPodSandboxConfig { SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = Namespaces(plan) } },
        };
        foreach (var (key, value) in plan.Labels)
        {
            config.Labels[key] = value;
        }

        var eq = _labLabel.IndexOf('=', StringComparison.Ordinal);
        config.Labels[_labLabel[..eq]] = _labLabel[(eq + 1)..];
        return config;
    }
}
