namespace KSync.Engine.Nodes;

/// <summary>The owner a synced folder got in its container (see <see cref="INodeAgent.PrepareFolderAsync"/>).</summary>
/// <param name="OwnerUid">The owner's user ID.</param>
/// <param name="OwnerGid">The owner's group ID.</param>
/// <param name="Reason">Where the owner comes from, in words.</param>
/// <param name="ProcessUid">The container's main process's user ID.</param>
/// <param name="ProcessGid">The container's main process's group ID.</param>
/// <param name="Created">How many directories were created (or would be).</param>
/// <param name="ChownError">Why the node could not give the owner (files still sync with the node syncthing's owner), or null.</param>
/// <param name="AppCanWrite">Whether the main process may create and remove entries in the folder.</param>
public sealed record FolderOwnership(uint OwnerUid, uint OwnerGid, string Reason, uint ProcessUid, uint ProcessGid, int Created, string? ChownError, bool AppCanWrite)
{
    /// <summary>Gets the owner as <c>UID:GID</c>.</summary>
    public string Owner => $"{OwnerUid}:{OwnerGid}";
}
