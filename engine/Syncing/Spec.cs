using KSync.Config.Model;
using KSync.Config.Validation;
using KSync.Engine.Status;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Syncing;

/// <summary>
/// One spec while watch runs (the original's Spec): follows the containers that match its details and keeps a
/// Service for each through its <see cref="ServiceList"/>. Its status is Waiting while nothing matches, Active
/// while something does, and Error when the spec cannot run.
/// </summary>
public sealed partial class Spec : IAsyncDisposable
{
    private readonly IContainerSource _source;
    private readonly StatusBoard _board;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task _loop = Task.CompletedTask;
    private SpecStatus _status = SpecStatus.Waiting;
    private string _reason = string.Empty;
    private int _disposed;

    /// <summary>Creates the Spec; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="details">The spec's details from ksync.yaml.</param>
    /// <param name="source">Follows the matching containers.</param>
    /// <param name="createService">Makes a Service for a container of this spec.</param>
    /// <param name="board">Notified on status changes.</param>
    /// <param name="logger">Logger.</param>
    public Spec(SpecDetails details, IContainerSource source, Func<SpecDetails, RemoteContainer, Service> createService, StatusBoard board, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(createService);
        Details = details;
        _source = source;
        _board = board;
        _logger = logger;
        Services = new ServiceList(container => createService(details, container));
        _reason = WaitingReason();
    }

    /// <summary>Gets the spec's details.</summary>
    public SpecDetails Details { get; }

    /// <summary>Gets the Services, one per matching running container.</summary>
    public ServiceList Services { get; }

    /// <summary>Gets the status and why (reason empty when Active).</summary>
    public (SpecStatus Status, string Reason) Status
    {
        get
        {
            lock (_gate)
            {
                return (_status, _reason);
            }
        }
    }

    /// <summary>Checks the details and starts following matching containers in the background.</summary>
    public void Start()
    {
        var problems = SpecValidator.Validate(Details, localPathMayBeMissing: false);
        if (problems.Count > 0)
        {
            SetStatus(SpecStatus.Error, $"{problems[0].Message} {problems[0].Hint}");
            Log.SpecInvalid(_logger, Details.Name, problems[0].Message);
            return;
        }

        _loop = RunAsync(_stop.Token);
    }

    /// <summary>Reloads every container of this spec now.</summary>
    /// <param name="cancellationToken">Cancels the reloads.</param>
    /// <returns>One outcome per Service.</returns>
    public async Task<IReadOnlyList<(RemoteContainer Container, ReloadOutcome Outcome)>> ReloadAsync(CancellationToken cancellationToken)
    {
        var services = Services.Items;
        var outcomes = await Task.WhenAll(services.Select(s => s.ReloadAsync(cancellationToken)));
        return [.. services.Zip(outcomes, (s, o) => (s.Container, o))];
    }

    /// <summary>Stops following and stops every Service.</summary>
    /// <returns>A task that completes when everything stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        await Services.DisposeAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var containers in _source.WatchAsync(Details, cancellationToken))
            {
                await Services.ReconcileAsync(containers);
                if (containers.Count == 0)
                {
                    SetStatus(SpecStatus.Waiting, WaitingReason());
                }
                else
                {
                    SetStatus(SpecStatus.Active, string.Empty);
                    Log.Matched(_logger, Details.Name, containers.Count);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A spec that cannot follow its pods shows the error; the other specs go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SetStatus(SpecStatus.Error, ex.Message);
            Log.FollowFailed(_logger, Details.Name, ex);
        }
    }

    private string WaitingReason()
    {
        var what = new List<string>();
        if (Details.Pod.Length > 0)
        {
            what.Add($"pod {Details.Pod}");
        }

        if (Details.Selector.Count > 0)
        {
            what.Add($"pods matching {string.Join(',', Details.Selector)}");
        }

        var container = Details.ContainerName.Length > 0 ? $" with container {Details.ContainerName} running" : string.Empty;
        return $"no running {string.Join(" and ", what)}{container} in namespace {Details.Namespace}";
    }

    private void SetStatus(SpecStatus status, string reason)
    {
        lock (_gate)
        {
            if (_status == status && _reason == reason)
            {
                return;
            }

            _status = status;
            _reason = reason;
        }

        _board.NotifyChanged();
    }
}
