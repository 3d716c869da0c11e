namespace KSync.Syncthing.Folders;

/// <summary>A snapshot of one synced folder on both sides (from <c>/rest/db/status</c> and <c>/rest/db/completion</c>).</summary>
/// <param name="LocalState">syncthing's folder state on the local side (<c>idle</c>, <c>scanning</c>, <c>syncing</c>, <c>error</c>, …).</param>
/// <param name="RemoteState">The same on the remote side.</param>
/// <param name="RemoteCompletion">How complete the remote is in percent (0–100), as the local side computes it.</param>
/// <param name="LocalNeedItems">Items the local side still needs.</param>
/// <param name="RemoteNeedItems">Items the remote side still needs.</param>
/// <param name="IsSeeding">True while a new remote gets its first copy (remote still receiveonly).</param>
/// <param name="Error">The folder error on either side, or null.</param>
public sealed record SharedFolderStatus(
    string LocalState,
    string RemoteState,
    double RemoteCompletion,
    long LocalNeedItems,
    long RemoteNeedItems,
    bool IsSeeding,
    string? Error)
{
    /// <summary>Gets a value indicating whether both sides are idle, need nothing and the remote is complete.</summary>
    public bool IsInSync => LocalState == "idle" && RemoteState == "idle" && LocalNeedItems == 0 && RemoteNeedItems == 0 && RemoteCompletion >= 100 && !IsSeeding;
}
