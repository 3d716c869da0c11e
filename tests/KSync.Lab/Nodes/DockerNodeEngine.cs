using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Unix;
using KSync.TestKit;

namespace KSync.Lab.Nodes;

/// <summary>
/// A Docker node: its private dockerd in the node's mount namespace, driven through the docker CLI the way the
/// kubelet's dockershim drove the Engine API. A pod sandbox is a <c>k8s_POD_…</c> container from the busybox image
/// with the pod's network namespace (<c>--network none</c>, so loopback only, plus the eth0 of
/// <see cref="PodNetwork"/>) and IPC namespace; the pod's containers join both (<c>container:SANDBOX</c>).
/// Container state, which the kubelet's probe, status and reconcile loops read several times a second, comes from the
/// Engine API itself (Docker.DotNet, <c>GET /containers/{id}/json</c>): a docker CLI process per read cost the lab
/// about a core on a busy node.
/// </summary>
internal sealed class DockerNodeEngine : INodeEngine
{
    private readonly DockerEngine _engine;
    private readonly PodNetwork _network;
    private readonly string _labLabel;
    private readonly DockerClient _api;

    private DockerNodeEngine(DockerEngine engine, PodNetwork network, string labLabel, string version)
    {
        _engine = engine;
        _network = network;
        _labLabel = labLabel;
        _api = new DockerClientBuilder()
            .WithEndpoint(new Uri(engine.Endpoint))
            .WithTransportOptions(new UnixSocketTransportOptions())
            .Build();
        RuntimeVersion = "docker://" + version;
    }

    /// <inheritdoc/>
    public NodeRuntime Runtime => NodeRuntime.Docker;

    /// <inheritdoc/>
    public string Scheme => "docker";

    /// <inheritdoc/>
    public NodeFilesystem Filesystem => _engine.Node!;

    /// <inheritdoc/>
    public string RuntimeVersion { get; }

    /// <inheritdoc/>
    public int DaemonPid => _engine.Pid;

    /// <summary>Gets the node's engine (for <c>docker -H</c> and the tests).</summary>
    public DockerEngine Engine => _engine;

    /// <summary>Starts the node's engine and imports busybox as <c>busybox:latest</c>.</summary>
    /// <param name="node">The node's filesystem.</param>
    /// <param name="nodeIndex">1-based node index.</param>
    /// <param name="labLabel">"key=value" label every container of this lab carries.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The engine.</returns>
    public static async Task<DockerNodeEngine> StartAsync(NodeFilesystem node, int nodeIndex, string labLabel, CancellationToken cancellationToken)
    {
        var engine = await DockerEngine.StartAsync(node, cancellationToken);
        try
        {
            await engine.CliOkAsync("tag", DockerEngine.BusyboxImage, "busybox:latest");
            var version = await engine.CliOkAsync("version", "--format", "{{.Server.Version}}");
            return new DockerNodeEngine(engine, new PodNetwork(nodeIndex), labLabel, version);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task LoadImageAsync(string archive, CancellationToken cancellationToken)
        => (await _engine.CliAsync(["load", "-i", archive], cancellationToken: cancellationToken)).EnsureSuccess();

    /// <inheritdoc/>
    public async Task<ImageFacts?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        var result = await _engine.CliAsync(["image", "inspect", "-f", "{{json .Config}}", image], cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var config = JsonNode.Parse(result.Stdout) as JsonObject;
        var hasCommand = config?["Entrypoint"] is JsonArray { Count: > 0 } || config?["Cmd"] is JsonArray { Count: > 0 };
        return new ImageFacts((string?)config?["User"] ?? string.Empty, hasCommand);
    }

    /// <inheritdoc/>
    public async Task<(string Id, string PodIp)> RunSandboxAsync(SandboxPlan plan, CancellationToken cancellationToken)
    {
        var args = new List<string>
        {
            "run", "-d", "--name", $"k8s_POD_{plan.PodName}_{plan.Namespace}_{plan.Uid}_{plan.Attempt}",
            "--network", plan.HostNetwork ? "host" : "none", "--ipc", "shareable", "--label", _labLabel,
            "--label", "io.kubernetes.container.name=POD",
        };
        if (plan.HostPid)
        {
            args.AddRange(["--pid", "host"]);
        }

        foreach (var (key, value) in plan.Labels)
        {
            args.AddRange(["--label", $"{key}={value}"]);
        }

        args.AddRange([DockerEngine.BusyboxImage, .. ImageArchive.DefaultCommand]);
        var id = await CliOkAsync(args, cancellationToken);
        if (plan.HostNetwork)
        {
            return (id, string.Empty);
        }

        var pid = await SandboxPidAsync(id, cancellationToken);
        return (id, await _network.AssignAsync(pid, cancellationToken));
    }

    /// <inheritdoc/>
    public async Task<int> SandboxPidAsync(string sandboxId, CancellationToken cancellationToken)
        => (await InspectAsync(sandboxId, cancellationToken)).Pid;

    /// <inheritdoc/>
    public async Task RemoveSandboxAsync(string sandboxId, CancellationToken cancellationToken)
        => await _engine.CliAsync(["rm", "-f", "-v", sandboxId], cancellationToken: cancellationToken);

    /// <inheritdoc/>
    public async Task<string> CreateContainerAsync(string sandboxId, SandboxPlan sandbox, ContainerPlan plan, CancellationToken cancellationToken)
    {
        var args = new List<string>
        {
            "create", "--name", $"k8s_{plan.Name}_{sandbox.PodName}_{sandbox.Namespace}_{sandbox.Uid}_{plan.Attempt}",
            "--network", "container:" + sandboxId, "--ipc", "container:" + sandboxId, "--label", _labLabel,
        };
        if (sandbox.HostPid)
        {
            args.AddRange(["--pid", "host"]);
        }

        foreach (var (key, value) in plan.Labels)
        {
            args.AddRange(["--label", $"{key}={value}"]);
        }

        foreach (var (key, value) in plan.Environment)
        {
            args.AddRange(["-e", $"{key}={value}"]);
        }

        if (plan.WorkingDir is { Length: > 0 } dir)
        {
            args.AddRange(["-w", dir]);
        }

        foreach (var mount in plan.Mounts)
        {
            var options = new List<string> { mount.ReadOnly ? "ro" : "rw" };
            options.Add(mount.Propagation switch { "HostToContainer" => "rslave", "Bidirectional" => "rshared", _ => "rprivate" });
            args.AddRange(["-v", $"{mount.NodePath}:{mount.ContainerPath}:{string.Join(',', options)}"]);
        }

        if (plan.RunAsUser is not null || plan.RunAsGroup is not null)
        {
            var user = plan.RunAsUser?.ToString(CultureInfo.InvariantCulture) ?? "0";
            args.AddRange(["--user", plan.RunAsGroup is long group ? $"{user}:{group.ToString(CultureInfo.InvariantCulture)}" : user]);
        }

        foreach (var group in plan.SupplementalGroups)
        {
            args.AddRange(["--group-add", group.ToString(CultureInfo.InvariantCulture)]);
        }

        foreach (var cap in plan.CapabilitiesDrop)
        {
            args.AddRange(["--cap-drop", cap]);
        }

        foreach (var cap in plan.CapabilitiesAdd)
        {
            args.AddRange(["--cap-add", cap]);
        }

        if (plan.ReadOnlyRootFilesystem)
        {
            args.Add("--read-only");
        }

        if (plan.Privileged)
        {
            args.Add("--privileged");
        }

        if (plan.NoNewPrivileges)
        {
            args.AddRange(["--security-opt", "no-new-privileges"]);
        }

        if (plan.AppArmorUnconfined)
        {
            args.AddRange(["--security-opt", "apparmor=unconfined"]);
        }

        if (plan.Command.Count > 0)
        {
            args.AddRange(["--entrypoint", plan.Command[0]]);
        }

        args.Add(plan.Image);
        args.AddRange(plan.Command.Skip(1));
        if (plan.Args is not null)
        {
            args.AddRange(plan.Args);
        }

        var created = await _engine.CliAsync(args, cancellationToken: cancellationToken);
        return created.ExitCode == 0 ? created.Stdout.Trim() : throw new EngineException(created.Stderr.Trim());
    }

    /// <inheritdoc/>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        var started = await _engine.CliAsync(["start", id], cancellationToken: cancellationToken);
        if (started.ExitCode != 0)
        {
            throw new EngineException(started.Stderr.Trim());
        }
    }

    /// <inheritdoc/>
    public async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
        => await _engine.CliAsync(["stop", "-t", ((int)grace.TotalSeconds).ToString(CultureInfo.InvariantCulture), id], cancellationToken: cancellationToken);

    /// <inheritdoc/>
    public async Task RemoveContainerAsync(string id, CancellationToken cancellationToken)
        => await _engine.CliAsync(["rm", "-f", "-v", id], cancellationToken: cancellationToken);

    /// <inheritdoc/>
    public async Task<EngineState> InspectAsync(string id, CancellationToken cancellationToken)
    {
        Docker.DotNet.Models.ContainerInspectResponse inspect;
        try
        {
            inspect = await _api.Containers.InspectContainerAsync(id, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            return EngineState.Missing;
        }

        var state = inspect.State;
        return state is null ? EngineState.Missing : new EngineState(
            true,
            state.Running,
            (int)state.ExitCode,
            Time(state.StartedAt),
            Time(state.FinishedAt),
            (int)state.Pid,
            state.OOMKilled ? "OOMKilled" : state.Error is { Length: > 0 } error ? error : null);
    }

    /// <inheritdoc/>
    public (string FileName, string[] Arguments) ExecCommand(string id, IReadOnlyList<string> command, bool tty)
        => (Requires.Tool("docker", "docker.io"), ["-H", _engine.Endpoint, "exec", "-i", .. tty ? new[] { "-t" } : [], id, .. command]);

    /// <inheritdoc/>
    public async IAsyncEnumerable<(DateTime Time, string Line)> ReadLogsAsync(string id, string? logPath, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var info = new System.Diagnostics.ProcessStartInfo(Requires.Tool("docker", "docker.io"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-H", _engine.Endpoint, "logs", "--timestamps" }.Concat(follow ? ["--follow"] : []).Append(id))
        {
            info.ArgumentList.Add(arg);
        }

        // stdout and stderr of the container come on the CLI's stdout and stderr; merged in arrival order.
        using var process = System.Diagnostics.Process.Start(info) ?? throw new EngineException("docker logs did not start");
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError))
            .ContinueWith(_ => lines.Writer.TryComplete(), TaskScheduler.Default);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(cancellationToken))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var time = space > 0 ? Time(line[..space]) : null;
                yield return time is null ? (DateTime.UtcNow, line) : (time.Value, line[(space + 1)..]);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await pumps;
        }

        async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is string line)
            {
                lines.Writer.TryWrite(line);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _api.Dispose();
        return _engine.DisposeAsync();
    }

    private static DateTime? Time(string? text)
        => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;

    private async Task<string> CliOkAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var result = await _engine.CliAsync(args, cancellationToken: cancellationToken);
        return result.ExitCode == 0 ? result.Stdout.Trim() : throw new EngineException(result.Stderr.Trim());
    }
}
