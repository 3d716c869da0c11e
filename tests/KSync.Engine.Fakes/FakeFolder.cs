using KSync.Config.Model;
using KSync.Engine.Status;
using KSync.Engine.Syncing;

namespace KSync.Engine.Fakes;

public sealed class FakeFolder(SpecDetails spec, RemoteContainer container, ServiceState state, FakeFolderFactory factory) : IFolder
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SpecDetails Spec { get; } = spec;

    public RemoteContainer Container { get; } = container;

    public ServiceState State { get; } = state;

    public Task Stopped => _stopped.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (factory.FailuresLeft > 0)
        {
            factory.FailuresLeft--;
            _stopped.TrySetResult();
            throw new InvalidOperationException("tunnel broke");
        }

        State.SetStatus(ServiceStatus.Watching);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (factory.ThrowsDisposedOnStop)
        {
            throw new ObjectDisposedException("SemaphoreSlim");
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    public int Rescans { get; private set; }

    public Task<InSyncCheck> CheckInSyncAsync(bool rescanLocal, CancellationToken cancellationToken)
    {
        Rescans += rescanLocal ? 1 : 0;
        return Task.FromResult(new InSyncCheck(rescanLocal, State.Snapshot.Status == ServiceStatus.Watching ? null : $"status {State.Snapshot.Status}"));
    }

    public Task<IReadOnlyList<KSync.Engine.Verify.FolderDifference>> VerifyAsync(CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<KSync.Engine.Verify.FolderDifference>>([]);

    public Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken)
        => Task.FromResult(new ReloadOutcome("restarted", Container.PodName));
}
