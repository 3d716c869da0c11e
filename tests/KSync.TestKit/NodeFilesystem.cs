using System.Diagnostics;
using System.Globalization;

namespace KSync.TestKit;

/// <summary>
/// THE one place where a lab node's paths are mapped to this machine. A node has a root folder on the host; its
/// container engine runs in a mount namespace of its own (<c>unshare --mount --propagation slave</c>) in which
/// <c>ROOT/run</c>, <c>ROOT/var/lib</c> and <c>ROOT/var/log</c> are bind-mounted (rshared) at <c>/run</c>,
/// <c>/var/lib</c> and <c>/var/log</c>. So everything the engine, and every container it starts, sees under those
/// paths is the node's own, at the path a real node has it: the Docker data root <c>/var/lib/docker</c>, containerd's
/// state <c>/run/containerd</c> and root <c>/var/lib/containerd</c>, the runtime sockets, the kubelet's
/// <c>/var/lib/kubelet/pods</c>, <c>/var/log/pods</c>, and hostPath volumes such as <c>/var/lib/ksync/syncthing</c>.
/// Paths outside those three prefixes are the host's, shared by every node. The lab itself runs in the host's mount
/// namespace and reaches a node path through <see cref="HostPath"/>; processes that must see the node's view (ctr,
/// whose FIFOs the shim opens by path) run through <see cref="Enter"/>.
/// </summary>
public sealed class NodeFilesystem
{
    /// <summary>The node paths that are the node's own; everything else is the host's.</summary>
    public static readonly IReadOnlyList<string> NodePrefixes = ["/run", "/var/lib", "/var/log"];

    /// <summary>Creates the node's root folder with the three node folders.</summary>
    /// <param name="root">The node's root folder on the host (short: unix socket paths are limited to 108 bytes).</param>
    public NodeFilesystem(string root)
    {
        Root = Path.GetFullPath(root);
        foreach (var prefix in NodePrefixes)
        {
            Directory.CreateDirectory(Root + prefix);
        }
    }

    /// <summary>Gets the node's root folder on the host.</summary>
    public string Root { get; }

    /// <summary>Maps a path as the node sees it to the host path of the same file.</summary>
    /// <param name="nodePath">An absolute path on the node.</param>
    /// <returns>The host path: under <see cref="Root"/> for the node's own prefixes, else the path itself.</returns>
    public string HostPath(string nodePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodePath);
        var owned = NodePrefixes.Any(p => nodePath == p || nodePath.StartsWith(p + "/", StringComparison.Ordinal));
        return owned ? Root + nodePath : nodePath;
    }

    /// <summary>Start info that runs <paramref name="fileName"/> in a new mount namespace with the node's folders bound.</summary>
    /// <param name="fileName">The daemon (dockerd, containerd).</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The start info (output redirected); the daemon keeps the PID of the started process.</returns>
    public ProcessStartInfo Wrap(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(Requires.Tool("unshare", "util-linux"))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var binds = string.Join(" && ", NodePrefixes.Select(p => $"mount --bind '{Root}{p}' {p} && mount --make-rshared {p}"));
        foreach (var arg in new[] { "--mount", "--propagation", "slave", "--", "/bin/sh", "-c", $"{binds} && exec \"$0\" \"$@\"", fileName })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var arg in arguments)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>The command line prefix that runs a process in the mount namespace of <paramref name="pid"/> (the node's daemon).</summary>
    /// <param name="pid">A process of the node's namespace.</param>
    /// <returns><c>nsenter --mount=/proc/PID/ns/mnt --</c> as file name and arguments.</returns>
    public static (string FileName, string[] Arguments) Enter(int pid)
        => (Requires.Tool("nsenter", "util-linux"), [$"--mount=/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/mnt", "--"]);
}
