using System.Text;
using Grpc.Net.Client;
using KSync.Radar.Runtimes.Cri;
using KSync.Radar.Runtimes.Cri.V1;
using KSync.TestKit;

namespace KSync.Radar.Tests.Support;

/// <summary>Creates pod sandboxes and containers through the CRI, as the kubelet would, and removes them all on dispose.</summary>
public sealed class CriPods : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly List<string> _sandboxes = [];

    public CriPods(ContainerdEngine engine)
    {
        _channel = CriChannels.ForSocket(engine.SocketPath);
        Client = new RuntimeService.RuntimeServiceClient(_channel);
    }

    internal RuntimeService.RuntimeServiceClient Client { get; }

    /// <summary>Runs a pod sandbox with host network and kubelet-style labels, and one container in it.</summary>
    /// <returns>The container ID (bare) and the pod's UID.</returns>
    internal async Task<(string ContainerId, string PodUid)> RunAsync(
        string podName,
        IEnumerable<Mount>? mounts = null,
        IEnumerable<string>? command = null,
        bool podLabels = true,
        CancellationToken cancellationToken = default)
    {
        var uid = Guid.NewGuid().ToString();
        var sandboxConfig = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = podName, Namespace = "default", Uid = uid },
            Hostname = string.Empty,
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                },
            },
        };
        sandboxConfig.Labels.Add("io.kubernetes.pod.name", podName);
        var sandbox = await Client.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandboxConfig }, deadline: Deadline(), cancellationToken: cancellationToken);
        _sandboxes.Add(sandbox.PodSandboxId);

        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = "app" },
            Image = new ImageSpec { Image = ContainerdEngine.BusyboxImage },
            Linux = new LinuxContainerConfig
            {
                SecurityContext = new LinuxContainerSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                },
            },
        };
        config.Command.AddRange(command ?? ImageArchive.DefaultCommand);
        config.Mounts.AddRange(mounts ?? []);
        if (podLabels)
        {
            config.Labels.Add("io.kubernetes.pod.name", podName);
            config.Labels.Add("io.kubernetes.pod.namespace", "default");
            config.Labels.Add("io.kubernetes.pod.uid", uid);
            config.Labels.Add("io.kubernetes.container.name", "app");
        }

        var created = await Client.CreateContainerAsync(
            new CreateContainerRequest { PodSandboxId = sandbox.PodSandboxId, Config = config, SandboxConfig = sandboxConfig },
            deadline: Deadline(),
            cancellationToken: cancellationToken);
        await Client.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId }, deadline: Deadline(), cancellationToken: cancellationToken);
        return (created.ContainerId, uid);
    }

    /// <summary>Runs a command in a container (CRI ExecSync) and returns its stdout; throws on a non-zero exit.</summary>
    internal async Task<string> ExecAsync(string containerId, params string[] command)
    {
        var request = new ExecSyncRequest { ContainerId = containerId, Timeout = 20 };
        request.Cmd.AddRange(command);
        var response = await Client.ExecSyncAsync(request, deadline: Deadline());
        if (response.ExitCode != 0)
        {
            throw new InvalidOperationException($"exec {string.Join(' ', command)} exited {response.ExitCode}: {Encoding.UTF8.GetString(response.Stderr.Span)}");
        }

        return Encoding.UTF8.GetString(response.Stdout.Span).Trim();
    }

    internal async Task<ContainerState> StateAsync(string containerId)
        => (await Client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, deadline: Deadline())).Status.State;

    public async ValueTask DisposeAsync()
    {
        foreach (var sandbox in _sandboxes)
        {
            try
            {
                await Client.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox }, deadline: Deadline());
                await Client.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox }, deadline: Deadline());
            }
            catch (Grpc.Core.RpcException)
            {
                // The engine's dispose kills what is left.
            }
        }

        _channel.Dispose();
    }

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(60);
}
