using KSync.Engine.Status;
using KSync.Syncthing;
using KSync.Syncthing.Client;

namespace KSync.Engine.Syncing;

/// <content>
/// The sync barrier's questions (<c>kubectl ksync wait</c>): rescan the local folder once, then read both folders'
/// states and the local syncthing's view of the node device; <see cref="InSyncRule"/> judges them. Reads only: the
/// Folder's state machine is not involved, and a rescan is what ksync's scan trigger does on every local save anyway.
/// </content>
public sealed partial class Folder
{
    /// <inheritdoc/>
    public async Task<InSyncCheck> CheckInSyncAsync(bool rescanLocal, CancellationToken cancellationToken)
    {
        var session = Volatile.Read(ref _followedSession);
        var snapshot = _state.Snapshot;
        if (session is null)
        {
            // Not following (starting, reconnecting, error): the status says why.
            var status = snapshot.Status == ServiceStatus.Watching ? snapshot with { Status = ServiceStatus.Starting } : snapshot;
            return new InSyncCheck(false, InSyncRule.NotYet(new InSyncFacts(status, Direction, false, null, null, null, null)));
        }

        var rescanned = !rescanLocal;
        DbCompletion? completion = null;
        DbStatus? local = null;
        DbStatus? node = null;
        string? error = null;
        try
        {
            if (rescanLocal)
            {
                await _context.Local.Endpoint.Client.ScanAsync(Id, null, cancellationToken);
                rescanned = true;
            }

            local = await _context.Local.Endpoint.Client.GetFolderStatusAsync(Id, cancellationToken);
            completion = await _context.Local.Endpoint.Client.GetCompletionAsync(Id, session.Remote.DeviceId, cancellationToken);
            node = await session.Remote.Client.GetFolderStatusAsync(Id, cancellationToken);
        }
        catch (SyncthingException ex)
        {
            error = ex.Message;
        }

        // Read after the folders, so a status that changed meanwhile (a link that broke) is not missed.
        var facts = new InSyncFacts(_state.Snapshot, Direction, rescanned, completion, local, node, error);
        return new InSyncCheck(rescanned && rescanLocal, InSyncRule.NotYet(facts));
    }
}
