using KSync.Config.Model;
using KSync.Engine.Resilience;
using KSync.Engine.Status;
using Microsoft.Extensions.Logging;
using Polly;

namespace KSync.Engine.Syncing;

/// <summary>
/// One folder being synced with one container (the original's Service). Runs a Folder; when the Folder fails it
/// records the error, waits with backoff and starts a fresh Folder, until disposed. A Service lives exactly as long
/// as its container: the ServiceList replaces it when the container ID changes.
/// </summary>
public sealed partial class Service : IAsyncDisposable
{
    private readonly SpecDetails _spec;
    private readonly IFolderFactory _folders;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private IFolder? _folder;
    private int _disposed;

    /// <summary>Creates the Service; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="spec">The spec's details.</param>
    /// <param name="container">The container.</param>
    /// <param name="folders">Makes each Folder attempt.</param>
    /// <param name="board">Notified on state changes.</param>
    /// <param name="logger">Logger (scope: spec and pod).</param>
    /// <param name="timeProvider">Clock for retry delays.</param>
    public Service(SpecDetails spec, RemoteContainer container, IFolderFactory folders, StatusBoard board, ILogger logger, TimeProvider timeProvider)
    {
        _spec = spec;
        _folders = folders;
        _logger = logger;
        _time = timeProvider;
        Container = container;
        State = new ServiceState(board);
        _retry = Backoff.Forever(timeProvider, (ex, delay) =>
        {
            State.Fail(ex.Message);
            Log.FolderFailed(_logger, _spec.Name, Container.PodName, ex.Message, delay.TotalSeconds);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Gets the container this Service syncs with.</summary>
    public RemoteContainer Container { get; }

    /// <summary>Gets the state <c>get</c> shows.</summary>
    public ServiceState State { get; }

    /// <summary>Starts running Folders in the background.</summary>
    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>Reloads the container now through the current Folder.</summary>
    /// <param name="cancellationToken">Cancels the reload.</param>
    /// <returns>What was done.</returns>
    public Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
        => Volatile.Read(ref _folder) is { } folder
            ? folder.ReloadAsync(cancellationToken)
            : Task.FromResult(new ReloadOutcome("skipped", "the sync is not set up yet"));

    /// <summary>
    /// One step of the sync barrier through the current Folder (<see cref="IFolder.CheckInSyncAsync"/>): each Folder
    /// rescans the local folder once, at its first check after <paramref name="rescanned"/> was made; a Folder started
    /// again after a failure is a new one and rescans again.
    /// </summary>
    /// <param name="rescanned">The Folders of this barrier that rescanned already; added to.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>Null when the container holds every local change saved before the barrier began; else why not.</returns>
    public async Task<string?> CheckInSyncAsync(ISet<IFolder> rescanned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rescanned);
        if (Volatile.Read(ref _folder) is not { } folder)
        {
            return "the sync is not set up yet";
        }

        var check = await folder.CheckInSyncAsync(!rescanned.Contains(folder), cancellationToken);
        if (check.Rescanned)
        {
            rescanned.Add(folder);
        }

        return check.NotYet;
    }

    /// <summary>Compares both folders' content through the current Folder (<see cref="IFolder.VerifyAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the walks.</param>
    /// <returns>Every path that differs.</returns>
    /// <exception cref="SyncEngineException">No Folder yet, or a side could not be read.</exception>
    public Task<IReadOnlyList<Verify.FolderDifference>> VerifyAsync(CancellationToken cancellationToken)
        => Volatile.Read(ref _folder) is { } folder
            ? folder.VerifyAsync(cancellationToken)
            : throw new SyncEngineException("the sync is not set up yet");

    /// <summary>Stops the Folder (which tears down what it set up) and waits for it, at most 10 s.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10), _time);
        }
        catch (TimeoutException)
        {
            Log.StopTimedOut(_logger, _spec.Name, Container.PodName);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync(
                async token =>
                {
                    State.SetStatus(ServiceStatus.Starting);
                    var folder = _folders.Create(_spec, Container, State);
                    Volatile.Write(ref _folder, folder);
                    await folder.RunAsync(token);
                    token.ThrowIfCancellationRequested();
                    throw new InvalidOperationException("the sync stopped by itself");
                },
                cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed: the Folder tore down what it set up. What it threw while stopping (a cancellation, or a gate
            // or stream disposed under it) is not a failure to show or retry (see Backoff.Forever).
        }
    }
}
