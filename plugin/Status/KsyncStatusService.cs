using Grpc.Core;
using KSync.Engine;
using KSync.Engine.Status;
using KSync.Engine.Syncing;
using Wire = KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Status;

/// <summary>The status server's implementation of <c>ksync.v1.Ksync</c> (proto/ksync.proto) over a <see cref="WatchStatus"/>.</summary>
internal sealed class KsyncStatusService : Wire.Ksync.KsyncBase
{
    /// <summary>Shortest time between two updates of a <c>WatchSpecList</c> stream: 100 ms.</summary>
    public static readonly TimeSpan StreamInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often <c>Wait</c> asks every container again until all hold the local changes: 250 ms.</summary>
    public static readonly TimeSpan WaitInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest <c>Wait</c> a client may ask for: 1 h.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly WatchStatus _status;

    /// <summary>Creates the service.</summary>
    /// <param name="status">What to report.</param>
    public KsyncStatusService(WatchStatus status)
    {
        _status = status;
    }

    /// <inheritdoc/>
    public override Task<Wire.SpecList> GetSpecList(Wire.GetSpecListRequest request, ServerCallContext context)
        => Task.FromResult(_status.Snapshot(request.Names));

    /// <inheritdoc/>
    public override async Task WatchSpecList(Wire.GetSpecListRequest request, IServerStreamWriter<Wire.SpecList> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        var seen = _status.Board.Version;
        await responseStream.WriteAsync(_status.Snapshot(request.Names), cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            seen = await _status.Board.WaitForChangeAsync(seen, cancellationToken);

            // Coalesce bursts (a sync of many files changes statuses quickly).
            await Task.Delay(StreamInterval, cancellationToken);
            seen = _status.Board.Version;
            await responseStream.WriteAsync(_status.Snapshot(request.Names), cancellationToken);
        }
    }

    /// <inheritdoc/>
    public override async Task<Wire.Alive> IsAlive(Wire.IsAliveRequest request, ServerCallContext context) => new()
    {
        Alive_ = true,
        Pid = Environment.ProcessId,
        Version = BuildInfo.Current.Version,
        SyncthingAlive = await _status.IsSyncthingAliveAsync(context.CancellationToken),
    };

    /// <inheritdoc/>
    public override async Task<Wire.ReloadResponse> Reload(Wire.ReloadRequest request, ServerCallContext context)
    {
        var specs = _status.Specs.Items;
        var unknown = request.Names.Where(n => specs.All(s => s.Details.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"No spec named {string.Join(", ", unknown.Select(n => $"'{n}'"))}."));
        }

        var chosen = request.All ? specs : [.. specs.Where(s => request.Names.Contains(s.Details.Name))];
        var response = new Wire.ReloadResponse();
        foreach (var spec in chosen)
        {
            foreach (var (container, outcome) in await spec.ReloadAsync(context.CancellationToken))
            {
                response.Results.Add(new Wire.ReloadResult
                {
                    SpecName = spec.Details.Name,
                    RemoteContainer = StatusMapper.ToProto(container),
                    Outcome = outcome.Outcome,
                    Message = outcome.Message,
                });
            }
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<Wire.WaitResponse> Wait(Wire.WaitRequest request, ServerCallContext context)
    {
        var names = request.Names.Distinct(StringComparer.Ordinal).ToList();
        var unknown = names.Where(n => _status.Specs.Items.All(s => s.Details.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"No spec named {string.Join(", ", unknown.Select(n => $"'{n}'"))}."));
        }

        if (request.TimeoutMs <= 0 || request.TimeoutMs > MaxWait.TotalMilliseconds)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, $"The timeout must be above 0 and at most {MaxWait.TotalMinutes:0} minutes."));
        }

        // docs/architecture.md, "The sync barrier": each Folder rescans the local folder at its first check, so every
        // local change saved before this call is in what the node must hold.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(request.TimeoutMs);
        var rescanned = new HashSet<IFolder>();
        var cancellationToken = context.CancellationToken;
        while (true)
        {
            var response = await CheckAsync(names, rescanned, cancellationToken);
            var left = deadline - DateTimeOffset.UtcNow;
            if (response.Results.All(r => r.Ready))
            {
                if (request.Verify)
                {
                    await VerifyAsync(response, cancellationToken);
                }

                return response;
            }

            if (left <= TimeSpan.Zero)
            {
                return response;
            }

            await Task.Delay(left < WaitInterval ? left : WaitInterval, cancellationToken);
        }
    }

    /// <summary>
    /// <c>wait --verify</c>: once the barrier holds, compares both folders of every container by content hash
    /// (docs/architecture.md, "Verifying content") and adds what differs, or why it could not compare, to its result.
    /// </summary>
    private async Task VerifyAsync(Wire.WaitResponse response, CancellationToken cancellationToken)
    {
        var specs = _status.Specs.Items;
        foreach (var result in response.Results.Where(r => r.RemoteContainer is not null))
        {
            var service = specs.FirstOrDefault(s => s.Details.Name == result.SpecName)?.Services.Items
                .FirstOrDefault(s => s.Container.ContainerId == result.RemoteContainer.ContainerId);
            if (service is null)
            {
                result.VerifyError = "the container went away while verifying";
                continue;
            }

            try
            {
                foreach (var difference in await service.VerifyAsync(cancellationToken))
                {
                    result.Differences.Add(new Wire.VerifyDifference { Path = difference.Path, Kind = difference.KindText, Detail = difference.Detail });
                }
            }
            catch (SyncEngineException ex)
            {
                result.VerifyError = ex.Message;
            }
        }
    }

    private async Task<Wire.WaitResponse> CheckAsync(List<string> names, HashSet<IFolder> rescanned, CancellationToken cancellationToken)
    {
        var response = new Wire.WaitResponse();
        var specs = _status.Specs.Items;
        foreach (var name in names.Count > 0 ? names : specs.Select(s => s.Details.Name))
        {
            var spec = specs.FirstOrDefault(s => s.Details.Name == name);
            var services = spec?.Services.Items ?? [];
            if (spec is null || services.Count == 0)
            {
                var (status, reason) = spec?.Status ?? (SpecStatus.Error, "the spec was deleted while waiting");
                response.Results.Add(new Wire.WaitResult
                {
                    SpecName = name,
                    Reason = status == SpecStatus.Error ? $"error: {reason}" : reason.Length > 0 ? reason : "no container matched yet",
                });
                continue;
            }

            foreach (var service in services)
            {
                var notYet = await service.CheckInSyncAsync(rescanned, cancellationToken);
                response.Results.Add(new Wire.WaitResult
                {
                    SpecName = name,
                    RemoteContainer = StatusMapper.ToProto(service.Container),
                    Ready = notYet is null,
                    Reason = notYet ?? string.Empty,
                });
            }
        }

        return response;
    }
}
