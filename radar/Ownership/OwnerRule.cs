namespace KSync.Radar.Ownership;

/// <summary>
/// Which owner the files and directories ksync creates in a container get (docs/architecture.md, "Files land
/// usable"). Pure: the caller reads the directories and the container's main process.
/// <list type="number">
/// <item>User: the requested one (<c>create --owner</c>); else the synced folder's owner when it exists and is not
/// root; else the main process's user (a root-owned folder — an emptyDir is root:root 0777 — or one ksync creates
/// belongs to whoever runs the app; OpenShift's random UIDs included).</item>
/// <item>Group: the requested one; else the folder's (or, when ksync creates it, the nearest existing directory
/// above's) group when that directory is setgid (fsGroup volumes: new entries keep the volume's group); else the
/// folder's group when its owner was taken; else that directory's group when it is not root's and the process is in
/// it; else the main process's group.</item>
/// </list>
/// </summary>
internal static class OwnerRule
{
    /// <summary>Decides the owner.</summary>
    /// <param name="requestedUid">The user of <c>--owner</c>, or null.</param>
    /// <param name="requestedGid">The group of <c>--owner UID:GID</c>, or null.</param>
    /// <param name="folder">The synced folder, or null when it does not exist yet.</param>
    /// <param name="ancestor">The nearest existing directory above the folder (used when the folder is missing).</param>
    /// <param name="process">The container's main process.</param>
    /// <returns>The owner and why, in words for <c>doctor</c>.</returns>
    public static OwnerDecision Decide(uint? requestedUid, uint? requestedGid, DirectoryFacts? folder, DirectoryFacts ancestor, ProcessIdentity process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var reference = folder ?? ancestor;
        var folderOwnerTaken = folder is { Owner.Uid: not 0 };
        uint uid;
        string userWhy;
        if (requestedUid is { } requested)
        {
            uid = requested;
            userWhy = "--owner";
        }
        else if (folderOwnerTaken)
        {
            uid = folder!.Value.Owner.Uid;
            userWhy = "the folder's owner";
        }
        else
        {
            uid = process.Uid;
            userWhy = folder is null ? "the main process's user (ksync creates the folder)" : "the main process's user (the folder is root's)";
        }

        uint gid;
        string groupWhy;
        if (requestedGid is { } requestedGroup)
        {
            gid = requestedGroup;
            groupWhy = "--owner";
        }
        else if (reference.SetGroupId)
        {
            gid = reference.Owner.Gid;
            groupWhy = folder is null ? "the setgid group of the directory above" : "the folder's setgid group";
        }
        else if (folderOwnerTaken)
        {
            gid = folder!.Value.Owner.Gid;
            groupWhy = userWhy;
        }
        else if (reference.Owner.Gid != 0 && process.InGroup(reference.Owner.Gid))
        {
            gid = reference.Owner.Gid;
            groupWhy = folder is null ? "the group of the directory above" : "the folder's group";
        }
        else
        {
            gid = process.Gid;
            groupWhy = "the main process's group";
        }

        return new OwnerDecision(new FileOwner(uid, gid), userWhy == groupWhy ? userWhy : $"user: {userWhy}; group: {groupWhy}");
    }

    /// <summary>Tells whether a process may create and remove entries in a directory (write and search, as access(2) decides; root always may).</summary>
    /// <param name="process">The process.</param>
    /// <param name="owner">The directory's owner.</param>
    /// <param name="mode">The directory's mode.</param>
    /// <returns>True when it may.</returns>
    public static bool CanWrite(ProcessIdentity process, FileOwner owner, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.Uid == 0)
        {
            return true;
        }

        // The kernel checks one class only: owner, else group, else other (a matching owner with no write is denied).
        const UnixFileMode userWx = UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode groupWx = UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
        const UnixFileMode otherWx = UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return process.Uid == owner.Uid ? (mode & userWx) == userWx
            : process.InGroup(owner.Gid) ? (mode & groupWx) == groupWx
            : (mode & otherWx) == otherWx;
    }
}
