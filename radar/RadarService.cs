using System.Runtime.InteropServices;
using Grpc.Core;
using KSync.Proto.Radar.V1;
using KSync.Radar.Ownership;
using KSync.Radar.Paths;
using KSync.Radar.Reload;
using KSync.Radar.Runtimes;
using KSync.Radar.Seeding;
using KSync.Radar.Syncthing;
using VersionInfo = KSync.Proto.Radar.V1.VersionInfo;

namespace KSync.Radar;

/// <summary>
/// The gRPC implementation of <c>ksync.radar.v1.Radar</c> (proto/radar.proto). Input is untrusted: IDs, paths and
/// signals are validated before any runtime is asked; errors are gRPC statuses (see <see cref="RadarErrors"/>).
/// </summary>
internal sealed partial class RadarService : Proto.Radar.V1.Radar.RadarBase
{
    private readonly RuntimeRegistry _runtimes;
    private readonly PathResolver _resolver;
    private readonly FolderPreparer _preparer;
    private readonly ReloadPolicy _policy;
    private readonly SyncthingTarget _syncthing;
    private readonly SyncthingBootstrapper _bootstrapper;
    private readonly RadarOptions _options;
    private readonly ILogger<RadarService> _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="runtimes">The node's runtime backends.</param>
    /// <param name="resolver">Container path → node path.</param>
    /// <param name="preparer">Gives synced folders their owner.</param>
    /// <param name="policy">Which containers may be reloaded.</param>
    /// <param name="syncthing">The node syncthing.</param>
    /// <param name="bootstrapper">Keeps the node syncthing private; knows whether it did.</param>
    /// <param name="options">radar's options.</param>
    /// <param name="logger">Logger.</param>
    public RadarService(RuntimeRegistry runtimes, PathResolver resolver, FolderPreparer preparer, ReloadPolicy policy, SyncthingTarget syncthing, SyncthingBootstrapper bootstrapper, RadarOptions options, ILogger<RadarService> logger)
    {
        _bootstrapper = bootstrapper;
        _runtimes = runtimes;
        _resolver = resolver;
        _preparer = preparer;
        _policy = policy;
        _syncthing = syncthing;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc/>
    public override async Task<GetBasePathResponse> GetBasePath(GetBasePathRequest request, ServerCallContext context)
    {
        var container = ContainerRef.Parse(request.ContainerId);
        var segments = RemotePath.Parse(request.RemotePath);
        var runtime = _runtimes.Get(container.Runtime);
        var details = await Logged(container, runtime.InspectAsync(container, context.CancellationToken));
        var resolved = _resolver.Resolve(details, segments);
        Log.BasePathResolved(_logger, container, request.RemotePath, resolved.NodePath, resolved.Backend, resolved.OnVolume);
        return new GetBasePathResponse
        {
            NodePath = resolved.NodePath,
            Backend = resolved.Backend,
            OnVolume = resolved.OnVolume,
            ContainerRoot = resolved.ContainerRoot,
            MountDestination = resolved.MountDestination,
            RestartKeepsFiles = runtime.RestartKeepsRootFilesystem || resolved.OnVolume,
            Pid = details.Pid,
            ContainerPath = resolved.ContainerPath,
        };
    }

    /// <inheritdoc/>
    public override async Task<PrepareFolderResponse> PrepareFolder(PrepareFolderRequest request, ServerCallContext context)
    {
        var container = ContainerRef.Parse(request.ContainerId);
        var segments = RemotePath.Parse(request.RemotePath);
        if (request.Mode > 0x1FF)
        {
            throw RadarErrors.InvalidArgument($"mode must be permission bits (0-0777), got {Convert.ToString(request.Mode, 8)}.");
        }

        if (request.HasOwnerGid && !request.HasOwnerUid)
        {
            throw RadarErrors.InvalidArgument("owner_gid needs owner_uid.");
        }

        var runtime = _runtimes.Get(container.Runtime);
        var details = await Logged(container, runtime.InspectAsync(container, context.CancellationToken));
        var resolved = _resolver.Resolve(details, segments);
        var mode = request.Mode == 0 ? (UnixFileMode)0x1ED : (UnixFileMode)request.Mode;
        var prepared = _preparer.Prepare(
            resolved.NodePath,
            details.Pid,
            request.HasOwnerUid ? request.OwnerUid : null,
            request.HasOwnerGid ? request.OwnerGid : null,
            mode,
            request.DryRun);
        if (!request.DryRun)
        {
            Log.FolderPrepared(_logger, container, resolved.NodePath, prepared.Decision.Owner, prepared.Decision.Why, prepared.Created.Count, prepared.ChownError ?? "none");
        }

        var reply = new PrepareFolderResponse
        {
            NodePath = resolved.NodePath,
            OwnerUid = prepared.Decision.Owner.Uid,
            OwnerGid = prepared.Decision.Owner.Gid,
            OwnerReason = prepared.Decision.Why,
            ProcessUid = prepared.Process.Uid,
            ProcessGid = prepared.Process.Gid,
            ChownError = prepared.ChownError ?? string.Empty,
            AppCanWrite = prepared.AppCanWrite,
        };
        reply.Created.AddRange(prepared.Created);
        return reply;
    }

    /// <inheritdoc/>
    public override async Task<SeedPlanResponse> SeedPlan(SeedPlanRequest request, ServerCallContext context)
    {
        var container = ContainerRef.Parse(request.ContainerId);
        var segments = RemotePath.Parse(request.RemotePath);
        if (request.Entries.Count > SeedWriter.MaxPlanEntries)
        {
            throw RadarErrors.InvalidArgument($"a seed plan takes at most {SeedWriter.MaxPlanEntries} entries per call, got {request.Entries.Count}.");
        }

        var runtime = _runtimes.Get(container.Runtime);
        var details = await Logged(container, runtime.InspectAsync(container, context.CancellationToken));
        var resolved = _resolver.Resolve(details, segments);
        using var writer = SeedWriter.Open(resolved.NodePath);
        var reply = new SeedPlanResponse { NodePath = resolved.NodePath };
        reply.Needed.AddRange(Refusals(container, () => writer.Plan(request.Entries)));
        return reply;
    }

    /// <inheritdoc/>
    public override async Task<SeedResponse> Seed(IAsyncStreamReader<SeedRequest> requestStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        if (!await requestStream.MoveNext(token) || requestStream.Current.ItemCase != SeedRequest.ItemOneofCase.Header)
        {
            throw RadarErrors.InvalidArgument("a seed starts with its header (container_id, remote_path).");
        }

        var header = requestStream.Current.Header;
        var container = ContainerRef.Parse(header.ContainerId);
        var segments = RemotePath.Parse(header.RemotePath);
        var runtime = _runtimes.Get(container.Runtime);
        var details = await Logged(container, runtime.InspectAsync(container, token));
        var resolved = _resolver.Resolve(details, segments);
        using var writer = SeedWriter.Open(resolved.NodePath);
        while (await requestStream.MoveNext(token))
        {
            var message = requestStream.Current;
            Refusals(container, () => writer.Accept(message));
        }

        var reply = writer.Complete();
        Log.Seeded(_logger, container, resolved.NodePath, reply.Files, reply.Directories, reply.Symlinks, reply.Bytes, reply.Skipped.Count);
        return reply;
    }

    /// <inheritdoc/>
    public override async Task HashFolder(HashFolderRequest request, IServerStreamWriter<HashFolderEntry> responseStream, ServerCallContext context)
    {
        var container = ContainerRef.Parse(request.ContainerId);
        var segments = RemotePath.Parse(request.RemotePath);
        var runtime = _runtimes.Get(container.Runtime);
        var details = await Logged(container, runtime.InspectAsync(container, context.CancellationToken));
        var resolved = _resolver.Resolve(details, segments);
        var count = await Verify.FolderHashes.StreamAsync(
            resolved.NodePath,
            request.IgnoreLines,
            entry => responseStream.WriteAsync(entry, context.CancellationToken),
            context.CancellationToken);
        Log.FolderHashed(_logger, container, resolved.NodePath, count);
    }

    /// <inheritdoc/>
    public override async Task<RestartResponse> Restart(RestartRequest request, ServerCallContext context)
    {
        var container = ContainerRef.Parse(request.ContainerId);
        if (request.TimeoutSeconds is < 0 or > 300)
        {
            throw RadarErrors.InvalidArgument("timeout_seconds must be between 0 and 300.");
        }

        var segments = string.IsNullOrEmpty(request.RemotePath) ? null : RemotePath.Parse(request.RemotePath);
        var runtime = _runtimes.Get(container.Runtime);
        var details = await Logged(container, runtime.InspectAsync(container, context.CancellationToken));
        Guard(details);
        if (!runtime.RestartKeepsRootFilesystem)
        {
            var name = ContainerRef.Scheme(container.Runtime);
            if (segments is null)
            {
                return UseSignal(container, $"no remote_path given: under {name} a restart replaces the container's root filesystem, so radar only restarts when the synced path is on a volume.");
            }

            var resolved = _resolver.Resolve(details, segments);
            if (!resolved.OnVolume)
            {
                return UseSignal(container, $"{resolved.ContainerPath} is not on a volume: under {name} the kubelet replaces a stopped container with a new one with a fresh root filesystem, and the synced files would be lost. Use a signal, or put the path on a volume (emptyDir).");
            }
        }

        await runtime.RestartAsync(container, request.TimeoutSeconds, context.CancellationToken);
        var podNamespace = details.Labels.GetValueOrDefault(ReloadPolicy.PodNamespaceLabel);
        var podName = details.Labels.GetValueOrDefault(ReloadPolicy.PodNameLabel);
        Log.Restarted(_logger, container, podNamespace, podName);

        return new RestartResponse { Outcome = RestartOutcome.Restarted };
    }

    /// <inheritdoc/>
    public override async Task<SignalResponse> Signal(SignalRequest request, ServerCallContext context)
    {
        var container = ContainerRef.Parse(request.ContainerId);
        var signal = Reload.PosixSignal.Parse(request.Signal);
        var runtime = _runtimes.Get(container.Runtime);
        var details = await Logged(container, runtime.InspectAsync(container, context.CancellationToken));
        Guard(details);
        var pid = await runtime.SignalAsync(details, signal, context.CancellationToken);
        Log.Signalled(_logger, container, signal.Name, pid);
        return new SignalResponse { Pid = pid };
    }

    /// <inheritdoc/>
    public override async Task<SyncthingInfo> GetSyncthingInfo(GetSyncthingInfoRequest request, ServerCallContext context)
    {
        var info = new SyncthingInfo
        {
            ApiPort = _options.SyncthingApi.Port,
            SyncPort = _options.SyncthingSyncPort,
            ApiKey = _options.SyncthingApiKey,
        };
        if (_syncthing.Client is not null)
        {
            var status = _syncthing.TryGetStatusAsync(context.CancellationToken);
            var version = _syncthing.TryGetVersionAsync(context.CancellationToken);
            info.DeviceId = (await status)?.MyId ?? string.Empty;
            info.Version = (await version)?.Version ?? string.Empty;
            info.Configured = _bootstrapper.IsConfigured((await status)?.StartTime);
        }

        return info;
    }

    /// <inheritdoc/>
    public override Task<VersionInfo> GetVersionInfo(GetVersionInfoRequest request, ServerCallContext context)
    {
        var build = BuildInfo.Current;
        return Task.FromResult(new VersionInfo
        {
            Version = build.Version,
            GitCommit = build.Commit,
            BuildDate = build.BuildDate,
            RuntimeVersion = RuntimeInformation.FrameworkDescription,
            Platform = $"{(OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription)}/{Architecture(RuntimeInformation.OSArchitecture)}",
        });
    }

    /// <inheritdoc/>
    public override async Task<RuntimeInfo> GetRuntimeInfo(GetRuntimeInfoRequest request, ServerCallContext context)
    {
        var probes = await Task.WhenAll(_runtimes.All.Select(r => r.ProbeAsync(context.CancellationToken)));
        var info = new RuntimeInfo { NodeName = _options.NodeName };
        info.Backends.AddRange(probes);
        // procfs is mounted where --proc-root says (reading other processes' roots also needs CAP_SYS_PTRACE).
        var procSelf = Path.Combine(_options.ProcRoot, "self", "root");
        var procReadable = Directory.Exists(procSelf);
        info.Backends.Add(new RuntimeBackend
        {
            Name = "proc",
            Available = procReadable,
            RootDir = _options.ProcRoot,
            Error = procReadable ? string.Empty : $"no procfs at {_options.ProcRoot} ({procSelf} is not readable)",
        });
        return info;
    }

    private static string Architecture(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    private RestartResponse UseSignal(ContainerRef container, string reason)
    {
        Log.RestartDeclined(_logger, container, reason);
        return new RestartResponse { Outcome = RestartOutcome.UseSignal, Reason = reason };
    }

    private void Guard(ContainerDetails details)
    {
        try
        {
            _policy.EnsureAllowed(details);
        }
        catch (RpcException ex)
        {
            Log.Refused(_logger, details.Ref, ex.Status.Detail);
            throw;
        }
    }

    private T Refusals<T>(ContainerRef container, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument)
        {
            Log.SeedRefused(_logger, container, ex.Status.Detail);
            throw;
        }
    }

    private void Refusals(ContainerRef container, Action action) => Refusals(container, () =>
    {
        action();
        return true;
    });

    private async Task<ContainerDetails> Logged(ContainerRef container, Task<ContainerDetails> inspect)
    {
        try
        {
            return await inspect;
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.FailedPrecondition)
        {
            Log.RuntimeProblem(_logger, container, ex.StatusCode, ex.Status.Detail);
            throw;
        }
    }
}
