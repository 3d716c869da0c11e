using Google.Protobuf;
using KSync.Proto.Radar.V1;
using KSync.Radar.Ownership;
using KSync.Radar.Runtimes;

namespace KSync.Radar.Seeding;

/// <summary>
/// Writes one seed into a container's folder on the node (docs/architecture.md, "The seed"), entry by entry as the
/// stream brings them, so memory stays bounded by one chunk and the set of directories already checked. Nothing is
/// written through a symlink: each entry's parents must be real directories inside the folder (checked with
/// <c>statx</c> without following links, once per directory and stream). A file lands atomically: its content goes to
/// <c>.syncthing.&lt;name&gt;.tmp</c> beside it (a name syncthing itself never syncs), gets its owner, mode and mtime,
/// and is renamed over the old entry. Everything created takes the owner of the directory it lands in, as the node
/// syncthing's <c>copyOwnershipFromParent</c> does; a refused chown is not an error (see <see cref="FolderPreparer"/>).
/// Not thread-safe: one stream, one writer.
/// </summary>
internal sealed class SeedWriter : IDisposable
{
    /// <summary>Largest content chunk accepted: 1 MiB.</summary>
    public const int MaxChunkBytes = 1 << 20;

    /// <summary>Most entries one <c>SeedPlan</c> call may carry.</summary>
    public const int MaxPlanEntries = 5000;

    /// <summary>Most entries one <c>SeedBatch</c> may carry.</summary>
    public const int MaxBatchEntries = 1000;

    private readonly string _root;

    /// <summary>Relative directories known to be real directories in this stream ("" is the folder), with their owners.</summary>
    private readonly Dictionary<string, FileOwner> _directories = new(StringComparer.Ordinal);
    private readonly List<string> _skipped = [];
    private PendingFile? _file;
    private uint _files;
    private uint _directoryCount;
    private uint _symlinks;
    private ulong _bytes;

    private SeedWriter(string root, FileOwner owner)
    {
        _root = root;
        _directories[string.Empty] = owner;
    }

    /// <summary>Opens the folder for a seed.</summary>
    /// <param name="root">The folder's node path (resolved, and prepared by PrepareFolder).</param>
    /// <returns>The writer.</returns>
    /// <exception cref="Grpc.Core.RpcException">FailedPrecondition when the folder is not a directory.</exception>
    public static SeedWriter Open(string root)
    {
        var facts = Stat(root);
        return facts is { Kind: SeedEntryKind.Directory } dir
            ? new SeedWriter(root.TrimEnd('/'), new FileOwner(dir.Uid, dir.Gid))
            : throw RadarErrors.FailedPrecondition($"{root} on the node is not a directory; call PrepareFolder before a seed.");
    }

    /// <summary>Tells which entries the folder needs (see <see cref="SeedPlanRule"/>); reads only.</summary>
    /// <param name="entries">Part of the local manifest.</param>
    /// <returns>The paths of the needed entries, in order.</returns>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument for an unsafe path or target, or another kind of entry.</exception>
    public List<string> Plan(IEnumerable<SeedEntry> entries)
    {
        var needed = new List<string>();
        foreach (var entry in entries)
        {
            var segments = Check(entry);

            // Under a parent that is not a real directory the path would be read through a link: needed.
            var existing = ParentsAreDirectories(segments) ? Stat(Node(entry.Path)) : null;
            if (SeedPlanRule.Needs(entry, existing))
            {
                needed.Add(entry.Path);
            }
        }

        return needed;
    }

    /// <summary>Takes the next message of the stream (after the header).</summary>
    /// <param name="request">An entry or a chunk of the current file.</param>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument for a protocol or confinement violation; FailedPrecondition when the node refuses a write.</exception>
    public void Accept(SeedRequest request)
    {
        switch (request.ItemCase)
        {
            case SeedRequest.ItemOneofCase.Entry:
                Take(request.Entry);
                break;
            case SeedRequest.ItemOneofCase.Data:
                Append(_file, request.Data);
                break;
            case SeedRequest.ItemOneofCase.Batch:
                var entries = request.Batch.Entries;
                if (entries.Count > MaxBatchEntries)
                {
                    throw RadarErrors.InvalidArgument($"a seed batch has {entries.Count} entries; at most {MaxBatchEntries} are accepted.");
                }

                long content = 0;
                foreach (var entry in entries)
                {
                    content += entry.Content.Length;
                }

                if (content > MaxChunkBytes)
                {
                    throw RadarErrors.InvalidArgument($"a seed batch carries {content} bytes of content; at most {MaxChunkBytes} are accepted.");
                }

                foreach (var entry in entries)
                {
                    Take(entry);
                }

                break;
            default:
                throw RadarErrors.InvalidArgument("only the first message of a seed may be its header; then entries and content.");
        }
    }

    private void Take(SeedEntry entry)
    {
        FinishFile();
        Begin(entry);
        if (!entry.Content.IsEmpty)
        {
            // A small file's content inline (one message per file instead of two).
            Append(entry.Kind == SeedEntryKind.File ? _file : null, entry.Content);
        }
    }

    private static void Append(PendingFile? file, ByteString data)
    {
        if (file is null)
        {
            throw RadarErrors.InvalidArgument("seed content arrived without a file entry before it.");
        }

        if (data.Length > MaxChunkBytes)
        {
            throw RadarErrors.InvalidArgument($"a content chunk of '{file.Path}' has {data.Length} bytes; at most {MaxChunkBytes} are accepted.");
        }

        Io(file.Path, () => file.Stream.Write(data.Span));
        file.Written += (ulong)data.Length;
    }

    /// <summary>Finishes the stream.</summary>
    /// <returns>What was written.</returns>
    public SeedResponse Complete()
    {
        FinishFile();
        var reply = new SeedResponse { NodePath = _root, Files = _files, Directories = _directoryCount, Symlinks = _symlinks, Bytes = _bytes };
        reply.Skipped.AddRange(_skipped);
        return reply;
    }

    /// <summary>Drops a file left half-written by a broken stream (its temporary name only; the old file stays).</summary>
    public void Dispose()
    {
        if (_file is { } file)
        {
            _file = null;
            file.Stream.Dispose();
            File.Delete(file.Temp);
        }
    }

    private static SeedEntryKind KindOf(SeedEntry entry) => entry.Kind is SeedEntryKind.File or SeedEntryKind.Directory or SeedEntryKind.Symlink
        ? entry.Kind
        : throw RadarErrors.InvalidArgument($"seed entry '{entry.Path}' is of kind {entry.Kind}; only files, directories and symlinks are seeded.");

    private static string[] Check(SeedEntry entry)
    {
        var segments = SeedPath.Parse(entry.Path);
        if (KindOf(entry) == SeedEntryKind.Symlink)
        {
            SeedPath.CheckLinkTarget(segments, entry.LinkTarget);
        }
        else if (entry.Mode > 0x1FF)
        {
            throw RadarErrors.InvalidArgument($"seed entry '{entry.Path}' has mode {Convert.ToString(entry.Mode, 8)}; only permission bits (0-0777) are seeded.");
        }

        return segments;
    }

    private static NodeEntry? Stat(string path)
    {
        try
        {
            return NodeFiles.Lstat(path);
        }
        catch (IOException ex)
        {
            throw RadarErrors.FailedPrecondition($"radar cannot read {path} on the node: {ex.Message}");
        }
    }

    private static void Io(string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw RadarErrors.FailedPrecondition($"radar cannot write seed entry '{path}' on the node: {ex.Message}");
        }
    }

    private string Node(string relative) => _root + "/" + relative;

    private bool ParentsAreDirectories(string[] segments)
    {
        var relative = string.Empty;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            relative = i == 0 ? segments[0] : relative + "/" + segments[i];
            if (!_directories.ContainsKey(relative))
            {
                if (Stat(Node(relative)) is not { Kind: SeedEntryKind.Directory } dir)
                {
                    return false;
                }

                _directories[relative] = new FileOwner(dir.Uid, dir.Gid);
            }
        }

        return true;
    }

    /// <summary>Checks the parents of an entry about to be written and returns the owner of the one it lands in.</summary>
    private FileOwner Parent(SeedEntry entry, string[] segments)
    {
        if (!ParentsAreDirectories(segments))
        {
            throw RadarErrors.InvalidArgument($"seed entry '{entry.Path}': a directory above it is missing on the node or is not a real directory (a symlink or a file); radar never writes through one.");
        }

        return _directories[string.Join('/', segments[..^1])];
    }

    private void Begin(SeedEntry entry)
    {
        var segments = Check(entry);
        var owner = Parent(entry, segments);
        var path = Node(entry.Path);
        switch (entry.Kind)
        {
            case SeedEntryKind.Directory:
                Io(entry.Path, () => WriteDirectory(path, owner, (UnixFileMode)entry.Mode));
                _directories[entry.Path] = owner;
                _directoryCount++;
                break;
            case SeedEntryKind.Symlink:
                if (Stat(path) is { Kind: SeedEntryKind.Directory })
                {
                    // A directory where local has a link: syncthing's first sync decides it, not a recursive delete here.
                    _skipped.Add(entry.Path);
                    return;
                }

                Io(entry.Path, () =>
                {
                    File.Delete(path);
                    File.CreateSymbolicLink(path, entry.LinkTarget);
                    FileOwnership.TryChown(path, owner);
                });
                _symlinks++;
                break;
            default:
                var name = segments[^1];
                var temp = Path.Combine(Path.GetDirectoryName(path)!, name.Length <= 200 ? $".syncthing.{name}.tmp" : $".syncthing.ksync-{Guid.NewGuid():N}.tmp");
                FileStream? stream = null;
                Io(entry.Path, () =>
                {
                    File.Delete(temp);
                    var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
                    if (!OperatingSystem.IsWindows())
                    {
                        options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                    }

                    stream = new FileStream(temp, options);
                });
                _file = new PendingFile(entry, temp, stream!, owner);
                break;
        }
    }

    private static void WriteDirectory(string path, FileOwner owner, UnixFileMode mode)
    {
        var existing = NodeFiles.Lstat(path);
        if (existing is not { Kind: SeedEntryKind.Directory })
        {
            if (existing is not null)
            {
                // A file or link where local has a directory: local is the truth (docs/architecture.md, "The first-sync rule").
                File.Delete(path);
            }

            Directory.CreateDirectory(path);
            FileOwnership.TryChown(path, owner);
        }

        // After the chown, and exactly: mkdir's umask does not apply.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private void FinishFile()
    {
        if (_file is not { } file)
        {
            return;
        }

        _file = null;
        var path = Node(file.Entry.Path);
        Io(file.Entry.Path, () =>
        {
            file.Stream.Dispose();
            if (file.Written != file.Entry.Size || Stat(path) is { Kind: SeedEntryKind.Directory })
            {
                // Changed while it was read (syncthing sends the new content), or a directory stands there.
                File.Delete(file.Temp);
                _skipped.Add(file.Entry.Path);
                return;
            }

            FileOwnership.TryChown(file.Temp, file.Owner);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.Temp, (UnixFileMode)file.Entry.Mode);
            }

            NodeFiles.SetMtime(file.Temp, file.Entry.MtimeSeconds, file.Entry.MtimeNanos);

            // rename(2) replaces a file or a link at the path and never follows it.
            File.Move(file.Temp, path, overwrite: true);
            _files++;
            _bytes += file.Written;
        });
    }

    private sealed class PendingFile(SeedEntry entry, string temp, FileStream stream, FileOwner owner)
    {
        public SeedEntry Entry { get; } = entry;

        public string Path => Entry.Path;

        public string Temp { get; } = temp;

        public FileStream Stream { get; } = stream;

        public FileOwner Owner { get; } = owner;

        public ulong Written { get; set; }
    }
}
