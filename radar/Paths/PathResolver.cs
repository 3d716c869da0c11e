using System.Globalization;
using KSync.Radar.Runtimes;

namespace KSync.Radar.Paths;

/// <summary>
/// Maps a path inside a container to the node path that holds it, the way the container itself would see it:
/// when the path is on a mount (volume, bind, emptyDir, PVC, hostPath) the mount's node source joined with the
/// rest, else the container's root filesystem joined with the path. Symlinks inside the container are resolved
/// against the container's root (an absolute link restarts at the container's <c>/</c>, <c>..</c> stops at it), so
/// a link such as <c>/app -&gt; /etc</c> can never lead outside the container onto the node.
/// <para>
/// Fallback: when the runtime's root (or a mount's source) is not visible to radar, or when
/// <see cref="PreferProcRoot"/> is set, the path goes through <c>/proc/&lt;pid&gt;/root</c>, which enters the
/// container's mount namespace (procfs(5)); the backend is then reported as "proc".
/// </para>
/// </summary>
internal sealed class PathResolver
{
    /// <summary>Most symlinks followed in one resolution (Linux's MAXSYMLINKS).</summary>
    public const int MaxSymlinks = 40;

    private readonly string _procRoot;

    /// <summary>Creates a resolver.</summary>
    /// <param name="procRoot">Where the node's procfs is mounted, e.g. <c>/proc</c>.</param>
    /// <param name="preferProcRoot">Always go through <c>/proc/&lt;pid&gt;/root</c> for the root filesystem.</param>
    public PathResolver(string procRoot, bool preferProcRoot = false)
    {
        _procRoot = procRoot.TrimEnd('/');
        PreferProcRoot = preferProcRoot;
    }

    /// <summary>Gets a value indicating whether the root filesystem is always reached through /proc.</summary>
    public bool PreferProcRoot { get; }

    /// <summary>Resolves a checked container path (see <see cref="RemotePath.Parse"/>).</summary>
    /// <param name="container">The container as its runtime reports it.</param>
    /// <param name="segments">Normalized components of the container path.</param>
    /// <returns>The node path and how it was found.</returns>
    /// <exception cref="Grpc.Core.RpcException">FailedPrecondition when the container is not running or its files are not visible to radar; InvalidArgument for a symlink loop.</exception>
    public ResolvedPath Resolve(ContainerDetails container, IReadOnlyList<string> segments)
    {
        if (!container.Running)
        {
            throw RadarErrors.FailedPrecondition($"container {container.Ref} is not running; its files are only reachable while it runs.");
        }

        var runtimeName = ContainerRef.Scheme(container.Ref.Runtime);
        var procRoot = container.Pid > 0 ? $"{_procRoot}/{container.Pid.ToString(CultureInfo.InvariantCulture)}/root" : null;
        var procVisible = procRoot is not null && Directory.Exists(procRoot);
        var runtimeRootVisible = container.RootPath is { } r && Path.IsPathRooted(r) && Directory.Exists(r);
        string root;
        bool rootIsProc;
        if (runtimeRootVisible && !(PreferProcRoot && procVisible))
        {
            root = container.RootPath!.TrimEnd('/');
            rootIsProc = false;
        }
        else if (procVisible)
        {
            root = procRoot!;
            rootIsProc = true;
        }
        else
        {
            throw RadarErrors.FailedPrecondition(
                $"the root filesystem of {container.Ref} is not visible to radar ({container.RootPath ?? "the runtime gave no path"}; {procRoot ?? "no pid"} is not readable). "
                + "radar needs the runtime's storage mounted at its node path, or hostPID and CAP_SYS_PTRACE for /proc/<pid>/root.");
        }

        var mounts = container.Mounts
            .Select(m => (Destination: RemotePathOrNull(m.Destination), m.Source))
            .Where(m => m.Destination is { Count: > 0 })
            .Select(m => new MountEntry(m.Destination!, m.Source.TrimEnd('/'), Path.Exists(m.Source)))
            .OrderByDescending(m => m.Destination.Count)
            .ToList();
        var walk = new Walk(root, procVisible ? procRoot : null, mounts);
        var resolved = walk.Resolve(segments, container.Ref);
        var (nodePath, mount, viaProc) = walk.Map(resolved, container.Ref);
        return new ResolvedPath(
            nodePath,
            rootIsProc || viaProc ? "proc" : runtimeName,
            mount is not null,
            root,
            mount is null ? string.Empty : RemotePath.Format(mount.Destination),
            RemotePath.Format(resolved));
    }

    private static List<string>? RemotePathOrNull(string path)
    {
        try
        {
            return [.. RemotePath.Parse(path)];
        }
        catch (Grpc.Core.RpcException)
        {
            return null;
        }
    }

    /// <summary>A mount with its destination split into components.</summary>
    /// <param name="Destination">Components of the path inside the container.</param>
    /// <param name="Source">Node path.</param>
    /// <param name="SourceVisible">Whether radar sees the source (else the path goes through /proc).</param>
    private sealed record MountEntry(List<string> Destination, string Source, bool SourceVisible);

    /// <summary>One resolution: the container's root, the /proc fallback and the mount table.</summary>
    private sealed class Walk(string root, string? procRoot, List<MountEntry> mounts)
    {
        public List<string> Resolve(IReadOnlyList<string> segments, ContainerRef container)
        {
            var done = new List<string>();
            var pending = new Queue<string>(segments);
            var links = 0;
            while (pending.Count > 0)
            {
                var next = pending.Dequeue();
                if (next is "" or ".")
                {
                    continue;
                }

                if (next == "..")
                {
                    // As in the kernel: ".." of the container's root is the root itself.
                    if (done.Count > 0)
                    {
                        done.RemoveAt(done.Count - 1);
                    }

                    continue;
                }

                done.Add(next);
                var target = ReadLink(Map(done, container).NodePath);
                if (target is null)
                {
                    continue;
                }

                if (++links > MaxSymlinks)
                {
                    throw RadarErrors.InvalidArgument($"more than {MaxSymlinks} symlinks while resolving {RemotePath.Format(segments)} in {container} (a loop?).");
                }

                // The link's target replaces it: absolute targets restart at the container's root.
                done.RemoveAt(done.Count - 1);
                if (target.StartsWith('/'))
                {
                    done.Clear();
                }

                pending = new Queue<string>(target.Split('/').Concat(pending));
            }

            return done;
        }

        public (string NodePath, MountEntry? Mount, bool ViaProc) Map(List<string> segments, ContainerRef container)
        {
            foreach (var mount in mounts)
            {
                if (segments.Count < mount.Destination.Count || !mount.Destination.SequenceEqual(segments.Take(mount.Destination.Count), StringComparer.Ordinal))
                {
                    continue;
                }

                if (mount.SourceVisible)
                {
                    return (Join(mount.Source, segments.Skip(mount.Destination.Count)), mount, false);
                }

                if (procRoot is null)
                {
                    throw RadarErrors.FailedPrecondition(
                        $"the source of {container}'s mount {RemotePath.Format(mount.Destination)} ({mount.Source}) is not visible to radar and /proc/<pid>/root is not readable.");
                }

                return (Join(procRoot, segments), mount, true);
            }

            return (Join(root, segments), null, false);
        }

        private static string Join(string basePath, IEnumerable<string> segments)
        {
            var joined = basePath;
            foreach (var segment in segments)
            {
                joined = joined + "/" + segment;
            }

            // Defense in depth: components never contain "/", "." or ".." here, so this cannot fail.
            if (joined.Length > basePath.Length && !joined.StartsWith(basePath + "/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"resolved path {joined} left {basePath}.");
            }

            return joined.Length == 0 ? "/" : joined;
        }

        private static string? ReadLink(string path)
        {
            try
            {
                return new FileInfo(path).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                throw RadarErrors.FailedPrecondition($"radar may not read {path}; it needs root on the node.");
            }
        }
    }
}
