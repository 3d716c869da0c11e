using KSync.Engine.Status;
using KSync.Engine.Verify;

namespace KSync.Engine.Syncing;

/// <summary>
/// The work of one Service: sync one local folder with one container until cancelled, then undo everything
/// it set up. Implemented by the Folder type; tests use fakes.
/// </summary>
public interface IFolder
{
    /// <summary>
    /// Sets up and runs the sync, reporting progress through the Service's <see cref="ServiceState"/>, until
    /// <paramref name="cancellationToken"/> is cancelled; then tears down (remote and local folder config, tunnels).
    /// </summary>
    /// <param name="cancellationToken">Stops the sync.</param>
    /// <returns>A task that completes after teardown.</returns>
    /// <exception cref="Exception">Any failure; the Service records it and retries with a new Folder after a backoff.</exception>
    Task RunAsync(CancellationToken cancellationToken);

    /// <summary>Reloads the container now, in the spec's reload mode (restart or signal), regardless of changes.</summary>
    /// <param name="cancellationToken">Cancels the reload.</param>
    /// <returns>What was done: <c>restarted</c>, <c>signalled</c> or <c>skipped</c>, with detail.</returns>
    Task<ReloadOutcome> ReloadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Tells whether the container holds every local change saved before the first call with
    /// <paramref name="rescanLocal"/> (the sync barrier, <see cref="InSyncRule"/>).
    /// </summary>
    /// <param name="rescanLocal">Rescan the local folder first (once per barrier, until a call says it did).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>Whether this call rescanned, and why the container is not there yet (null when it is).</returns>
    Task<InSyncCheck> CheckInSyncAsync(bool rescanLocal, CancellationToken cancellationToken);

    /// <summary>
    /// Compares the content of both folders, hashing every file on each side (not syncthing's view of them), for
    /// <c>wait --verify</c>. Meant for after the sync barrier holds.
    /// </summary>
    /// <param name="cancellationToken">Cancels the walks.</param>
    /// <returns>Every path that differs; empty when both sides hold the same content.</returns>
    /// <exception cref="SyncEngineException">A side could not be read, or the sync is not following the node.</exception>
    Task<IReadOnlyList<FolderDifference>> VerifyAsync(CancellationToken cancellationToken);
}
