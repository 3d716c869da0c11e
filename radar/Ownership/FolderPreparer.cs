using KSync.Radar.Runtimes;

namespace KSync.Radar.Ownership;

/// <summary>
/// Gives a synced folder an owner the container can use before the node syncthing is told about it: creates the
/// folder and the missing directories above it, each owned as <see cref="OwnerRule"/> decides with the local folder's
/// mode (setgid kept where the directory above has it), and gives an existing folder root that owner. The node
/// syncthing then copies the owner of the parent to everything it creates (<c>copyOwnershipFromParent</c>), so the
/// whole tree follows. Where chown is refused, nothing fails: the error is reported and files keep syncing.
/// </summary>
/// <param name="procRoot">Where the node's procfs is mounted, e.g. <c>/proc</c>.</param>
internal sealed class FolderPreparer(string procRoot)
{
    /// <summary>Prepares a folder.</summary>
    /// <param name="nodePath">The folder as a node path (from the path resolver).</param>
    /// <param name="pid">The container's main process on the node.</param>
    /// <param name="requestedUid">The user of <c>--owner</c>, or null.</param>
    /// <param name="requestedGid">The group of <c>--owner UID:GID</c>, or null.</param>
    /// <param name="mode">Permission bits for directories radar creates (the local folder's).</param>
    /// <param name="dryRun">Only tell what would be done.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="Grpc.Core.RpcException">FailedPrecondition: the process is gone, the path is a file, or a directory cannot be created.</exception>
    public FolderPreparation Prepare(string nodePath, int pid, uint? requestedUid, uint? requestedGid, UnixFileMode mode, bool dryRun)
    {
        var process = ReadProcess(pid);
        var folder = Stat(nodePath);
        var missing = new List<string>();
        var ancestorPath = nodePath;
        var ancestor = folder;
        while (ancestor is null)
        {
            if (File.Exists(ancestorPath) || Path.GetDirectoryName(ancestorPath) is not { } parent)
            {
                throw RadarErrors.FailedPrecondition($"{ancestorPath} on the node is not a directory; the synced path must be a folder.");
            }

            missing.Insert(0, ancestorPath);
            ancestorPath = parent;
            ancestor = Stat(ancestorPath);
        }

        var decision = OwnerRule.Decide(requestedUid, requestedGid, folder, ancestor.Value, process);
        var owner = decision.Owner;
        if (dryRun)
        {
            var finalMode = folder?.Mode ?? mode;
            return new FolderPreparation(decision, process, missing, null, OwnerRule.CanWrite(process, owner, finalMode));
        }

        string? chownError = null;
        var above = ancestor.Value;
        foreach (var path in missing)
        {
            var created = mode | (above.SetGroupId ? UnixFileMode.SetGroup : 0);
            try
            {
                Directory.CreateDirectory(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw RadarErrors.FailedPrecondition($"radar cannot create {path} on the node: {ex.Message}");
            }

            chownError ??= FileOwnership.TryChown(path, owner);

            // After the chown: chmod by root sets the bits exactly (mkdir's umask is gone, setgid is not cleared).
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, created);
            }

            above = new DirectoryFacts(owner, created);
        }

        if (folder is not null)
        {
            // Also when it already has that owner: a chown to the same IDs still tells whether the node may chown here.
            chownError = FileOwnership.TryChown(nodePath, owner);
        }

        var final = Stat(nodePath) ?? throw RadarErrors.FailedPrecondition($"{nodePath} vanished while radar prepared it.");
        return new FolderPreparation(decision, process, missing, chownError, OwnerRule.CanWrite(process, final.Owner, final.Mode));
    }

    private static DirectoryFacts? Stat(string path)
    {
        try
        {
            return FileOwnership.TryStatDirectory(path);
        }
        catch (IOException ex)
        {
            throw RadarErrors.FailedPrecondition($"radar cannot read {path} on the node: {ex.Message}");
        }
    }

    private ProcessIdentity ReadProcess(int pid)
    {
        var status = Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "status");
        try
        {
            return pid > 0
                ? ProcessIdentity.Parse(File.ReadAllText(status))
                : throw RadarErrors.FailedPrecondition("the container's main process is unknown; radar reads its user from /proc/<pid>/status.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            throw RadarErrors.FailedPrecondition($"radar cannot read {status}: {ex.Message}");
        }
    }
}
