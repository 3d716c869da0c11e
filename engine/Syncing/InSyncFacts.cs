using KSync.Engine.Status;
using KSync.Syncthing.Client;
using KSync.Syncthing.Folders;

namespace KSync.Engine.Syncing;

/// <summary>What <see cref="InSyncRule"/> judges for one Folder, read after the local folder was rescanned.</summary>
/// <param name="Service">The Service's status now.</param>
/// <param name="Direction">The spec's sync direction.</param>
/// <param name="LocalRescanned">Whether the local folder was rescanned since the question was asked.</param>
/// <param name="NodeCompletion">The local syncthing's view of the node device for the folder (<c>/rest/db/completion</c>), or null when not read.</param>
/// <param name="Local">The local folder's status (<c>/rest/db/status</c>), or null when not read.</param>
/// <param name="Node">The node folder's status, or null when not read.</param>
/// <param name="ReadError">Why a status could not be read, or null.</param>
public sealed record InSyncFacts(
    ServiceSnapshot Service,
    SyncDirection Direction,
    bool LocalRescanned,
    DbCompletion? NodeCompletion,
    DbStatus? Local,
    DbStatus? Node,
    string? ReadError);
