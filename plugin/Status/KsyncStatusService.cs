using Grpc.Core;
using Wire = KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Status;

/// <summary>The status server's implementation of <c>ksync.v1.Ksync</c> (proto/ksync.proto) over a <see cref="WatchStatus"/>.</summary>
internal sealed class KsyncStatusService : Wire.Ksync.KsyncBase
{
    /// <summary>Shortest time between two updates of a <c>WatchSpecList</c> stream: 100 ms.</summary>
    public static readonly TimeSpan StreamInterval = TimeSpan.FromMilliseconds(100);

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
}
