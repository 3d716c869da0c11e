using System.CommandLine;
using System.Net;

namespace KSync.Radar;

/// <summary>
/// radar's command line. Every path and port has a flag, so the binary runs both in the DaemonSet and as a plain
/// host process. Environment: <c>KSYNC_SYNCTHING_API_KEY</c>, <c>NODE_NAME</c>, <c>POD_UID</c>, <c>POD_NAME</c>,
/// <c>POD_NAMESPACE</c> (see <see cref="RadarOptions"/>).
/// </summary>
internal sealed class RadarCommand : RootCommand
{
    private readonly Option<string> _bind = new("--bind") { Description = "Address the gRPC service listens on", DefaultValueFactory = _ => "127.0.0.1" };

    private readonly Option<int> _port = new("--port", "-p") { Description = "gRPC port (0 = any free port)", DefaultValueFactory = _ => RadarOptions.DefaultPort };

    private readonly Option<string> _healthBind = new("--health-bind") { Description = "Address of the health-only endpoint (kubelet gRPC probes)", DefaultValueFactory = _ => "0.0.0.0" };

    private readonly Option<int> _healthPort = new("--health-port") { Description = "Port of the health-only endpoint (0 = any free port, -1 = none; health stays on --port)", DefaultValueFactory = _ => RadarOptions.DefaultHealthPort };

    private readonly Option<string> _hostRoot = new("--host-root") { Description = "Where the node's filesystem is mounted, for socket discovery (empty = radar runs on the node)", DefaultValueFactory = _ => string.Empty };

    private readonly Option<string> _procRoot = new("--proc-root") { Description = "Where the node's procfs is mounted", DefaultValueFactory = _ => "/proc" };

    private readonly Option<bool> _preferProcRoot = new("--prefer-proc-root") { Description = "Reach container root filesystems through /proc/<pid>/root even when the runtime's path is visible" };

    private readonly Option<string?> _dockerSocket = new("--docker-socket") { Description = "Docker Engine socket (default: /run/docker.sock or /var/run/docker.sock under --host-root)" };

    private readonly Option<string?> _containerdSocket = new("--containerd-socket") { Description = "containerd socket (default: /run/containerd/containerd.sock or k3s' /run/k3s/containerd/containerd.sock under --host-root)" };

    private readonly Option<string?> _crioSocket = new("--crio-socket") { Description = "CRI-O socket (default: /run/crio/crio.sock or /var/run/crio/crio.sock under --host-root)" };

    private readonly Option<string?> _containerdState = new("--containerd-state") { Description = "containerd's state directory holding task bundles (default: from the CRI plugin's status)" };

    private readonly Option<double> _runtimeTimeout = new("--runtime-timeout") { Description = "Seconds one container runtime call may take", DefaultValueFactory = _ => 10 };

    private readonly Option<string> _syncthingApi = new("--syncthing-api") { Description = "The node syncthing's REST API base address", DefaultValueFactory = _ => RadarOptions.DefaultSyncthingApi };

    private readonly Option<int> _syncthingSyncPort = new("--syncthing-sync-port") { Description = "The node syncthing's sync port; radar pins its listener to 127.0.0.1:<port>", DefaultValueFactory = _ => RadarOptions.DefaultSyncthingSyncPort };

    private readonly Option<double> _syncthingPoll = new("--syncthing-poll-interval") { Description = "Seconds between checks that the node syncthing answers", DefaultValueFactory = _ => 2 };

    /// <summary>Creates the command; <paramref name="run"/> starts the server with the parsed options.</summary>
    /// <param name="run">Runs radar until the token is cancelled; returns the exit code.</param>
    public RadarCommand(Func<RadarOptions, CancellationToken, Task<int>> run)
        : base("radar: the ksync node agent. Tells kubectl-ksync where container files live on this node and reloads containers.")
    {
        AddAddress(_bind);
        AddAddress(_healthBind);
        AddPort(_port, 0);
        AddPort(_healthPort, -1);
        AddPort(_syncthingSyncPort, 1);
        AddPositive(_runtimeTimeout);
        AddPositive(_syncthingPoll);
        _syncthingApi.Validators.Add(result =>
        {
            if (!Uri.TryCreate(result.GetValueOrDefault<string>(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                result.AddError("--syncthing-api must be an http(s) address, e.g. http://127.0.0.1:8384.");
            }
        });
        Options.Add(_hostRoot);
        Options.Add(_procRoot);
        Options.Add(_preferProcRoot);
        Options.Add(_dockerSocket);
        Options.Add(_containerdSocket);
        Options.Add(_crioSocket);
        Options.Add(_containerdState);
        Options.Add(_syncthingApi);
        Validators.Add(result =>
        {
            var port = result.GetValue(_port);
            if (port != 0 && port == result.GetValue(_healthPort))
            {
                result.AddError("--health-port must differ from --port.");
            }
        });
        SetAction((parseResult, cancellationToken) => run(Read(parseResult), cancellationToken));
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private RadarOptions Read(ParseResult parseResult) => new()
    {
        Bind = parseResult.GetRequiredValue(_bind),
        Port = parseResult.GetValue(_port),
        HealthBind = parseResult.GetRequiredValue(_healthBind),
        HealthPort = parseResult.GetValue(_healthPort),
        HostRoot = parseResult.GetValue(_hostRoot) ?? string.Empty,
        ProcRoot = parseResult.GetRequiredValue(_procRoot),
        PreferProcRoot = parseResult.GetValue(_preferProcRoot),
        DockerSocket = Empty(parseResult.GetValue(_dockerSocket)),
        ContainerdSocket = Empty(parseResult.GetValue(_containerdSocket)),
        CrioSocket = Empty(parseResult.GetValue(_crioSocket)),
        ContainerdState = Empty(parseResult.GetValue(_containerdState)),
        RuntimeTimeout = TimeSpan.FromSeconds(parseResult.GetValue(_runtimeTimeout)),
        SyncthingApi = new Uri(parseResult.GetRequiredValue(_syncthingApi)),
        SyncthingSyncPort = parseResult.GetValue(_syncthingSyncPort),
        SyncthingPollInterval = TimeSpan.FromSeconds(parseResult.GetValue(_syncthingPoll)),
        SyncthingApiKey = Environment.GetEnvironmentVariable("KSYNC_SYNCTHING_API_KEY") ?? string.Empty,
        NodeName = Environment.GetEnvironmentVariable("NODE_NAME") ?? string.Empty,
        Self = OwnPod.FromEnvironment(),
    };

    private void AddAddress(Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (!IPAddress.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"{option.Name} must be an IP address, e.g. 127.0.0.1.");
            }
        });
        Options.Add(option);
    }

    private void AddPort(Option<int> option, int min)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < min || result.GetValueOrDefault<int>() > 65535)
            {
                result.AddError($"{option.Name} must be between {min} and 65535.");
            }
        });
        Options.Add(option);
    }

    private void AddPositive(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or > 3600 or double.NaN)
            {
                result.AddError($"{option.Name} must be a number of seconds between 0 and 3600.");
            }
        });
        Options.Add(option);
    }
}
