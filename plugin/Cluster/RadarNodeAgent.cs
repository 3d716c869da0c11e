using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using KSync.Engine.Nodes;
using KSync.Engine.Seeding;
using KSync.Proto.Radar.V1;
using KSync.Syncthing.Verify;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The engine's <see cref="INodeAgent"/> over radar's gRPC API (proto/radar.proto): <c>GetBasePath</c>,
/// <c>PrepareFolder</c>, <c>SeedPlan</c>, <c>Seed</c>, <c>Restart</c>, <c>Signal</c>, <c>HashFolder</c>, each with a deadline. A gRPC error becomes a <see cref="NodeAgentException"/> with
/// the status code's name and radar's detail; cancellation by the caller stays an <see cref="OperationCanceledException"/>.
/// </summary>
/// <param name="client">The radar client.</param>
internal sealed class RadarNodeAgent(Radar.RadarClient client) : INodeAgent
{
    /// <summary>How long resolving a path or sending a signal may take: 15 s.</summary>
    public static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(15);

    /// <summary>How long a restart may take (stop with grace, start): 60 s.</summary>
    public static readonly TimeSpan RestartDeadline = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public async Task<ResolvedPath> ResolvePathAsync(string containerId, string remotePath, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(
            token => client.GetBasePathAsync(new GetBasePathRequest { ContainerId = containerId, RemotePath = remotePath }, deadline: DateTime.UtcNow + RequestDeadline, cancellationToken: token).ResponseAsync,
            cancellationToken);
        return new ResolvedPath(reply.NodePath, reply.Backend, reply.OnVolume);
    }

    /// <inheritdoc/>
    public async Task<FolderOwnership> PrepareFolderAsync(string containerId, string remotePath, (uint Uid, uint? Gid)? requested, UnixFileMode mode, bool dryRun, CancellationToken cancellationToken)
    {
        var request = new PrepareFolderRequest { ContainerId = containerId, RemotePath = remotePath, Mode = (uint)mode & 0x1FF, DryRun = dryRun };
        if (requested is { } owner)
        {
            request.OwnerUid = owner.Uid;
            if (owner.Gid is { } gid)
            {
                request.OwnerGid = gid;
            }
        }

        var reply = await CallAsync(
            token => client.PrepareFolderAsync(request, deadline: DateTime.UtcNow + RequestDeadline, cancellationToken: token).ResponseAsync,
            cancellationToken);
        return new FolderOwnership(
            reply.OwnerUid,
            reply.OwnerGid,
            reply.OwnerReason,
            reply.ProcessUid,
            reply.ProcessGid,
            reply.Created.Count,
            reply.ChownError.Length == 0 ? null : reply.ChownError,
            reply.AppCanWrite);
    }

    /// <summary>How long a seed stream may take: 30 min (100,000 files at a few MB/s).</summary>
    public static readonly TimeSpan SeedDeadline = TimeSpan.FromMinutes(30);

    /// <summary>Content chunk size of a seed: 64 KiB (radar accepts up to 1 MiB).</summary>
    public const int SeedChunkBytes = 64 * 1024;

    /// <summary>Most inline content one seed batch carries: 512 KiB (radar accepts up to 1 MiB).</summary>
    public const int SeedBatchBytes = 512 * 1024;

    /// <summary>Most entries one seed batch carries (radar accepts up to 1,000).</summary>
    public const int SeedBatchEntries = 500;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> PlanSeedAsync(string containerId, string remotePath, IReadOnlyList<SeedItem> entries, CancellationToken cancellationToken)
    {
        var request = new SeedPlanRequest { ContainerId = containerId, RemotePath = remotePath };
        request.Entries.AddRange(entries.Select(Entry));
        var reply = await CallAsync(
            token => client.SeedPlanAsync(request, deadline: DateTime.UtcNow + RestartDeadline, cancellationToken: token).ResponseAsync,
            cancellationToken);
        return reply.Needed;
    }

    /// <inheritdoc/>
    public async Task<SeedResult> SeedAsync(string containerId, string remotePath, string localPath, IEnumerable<SeedItem> entries, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(
            async token =>
            {
                using var call = client.Seed(deadline: DateTime.UtcNow + SeedDeadline, cancellationToken: token);
                try
                {
                    await StreamAsync(call.RequestStream, containerId, remotePath, localPath, entries, token);
                }
                catch (RpcException)
                {
                    // radar ended the call (a refusal): its status is in the reply, awaited below.
                }

                return await call.ResponseAsync;
            },
            cancellationToken);
        return new SeedResult((int)reply.Files, (int)reply.Directories, (int)reply.Symlinks, (long)reply.Bytes, reply.Skipped);
    }

    /// <inheritdoc/>
    public async Task<RestartResult> RestartAsync(string containerId, string remotePath, TimeSpan grace, CancellationToken cancellationToken)
    {
        var request = new RestartRequest { ContainerId = containerId, RemotePath = remotePath, TimeoutSeconds = (int)grace.TotalSeconds };
        var reply = await CallAsync(
            token => client.RestartAsync(request, deadline: DateTime.UtcNow + RestartDeadline, cancellationToken: token).ResponseAsync,
            cancellationToken);
        return new RestartResult(reply.Outcome == RestartOutcome.UseSignal, reply.Reason);
    }

    /// <inheritdoc/>
    public async Task<SignalResult> SignalAsync(string containerId, string signal, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(
            token => client.SignalAsync(new SignalRequest { ContainerId = containerId, Signal = signal }, deadline: DateTime.UtcNow + RequestDeadline, cancellationToken: token).ResponseAsync,
            cancellationToken);
        return new SignalResult(reply.Pid);
    }

    private static SeedEntry Entry(SeedItem item) => new()
    {
        Path = item.Path,
        Kind = item.Kind switch
        {
            SeedKind.File => SeedEntryKind.File,
            SeedKind.Directory => SeedEntryKind.Directory,
            _ => SeedEntryKind.Symlink,
        },
        Mode = (uint)item.Mode & 0x1FF,
        Size = (ulong)item.Size,
        MtimeSeconds = item.MtimeSeconds,
        MtimeNanos = item.MtimeNanos,
        LinkTarget = item.LinkTarget ?? string.Empty,
    };

    /// <summary>
    /// Writes a seed: the header, then the entries in order. Directories, symlinks and files of at most
    /// <see cref="SeedChunkBytes"/> (content inline) are packed into batches of at most <see cref="SeedBatchEntries"/>
    /// entries and <see cref="SeedBatchBytes"/> of content: over the tunnel each message costs far more than its bytes.
    /// A larger file flushes the batch and goes as its entry and content in <see cref="SeedChunkBytes"/> chunks, one
    /// buffer for the whole stream. A file that vanished or changed size since the walk sends what it has; radar leaves
    /// such a file out and syncthing brings it.
    /// </summary>
    private static async Task StreamAsync(IClientStreamWriter<SeedRequest> stream, string containerId, string remotePath, string localPath, IEnumerable<SeedItem> entries, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(new SeedRequest { Header = new SeedHeader { ContainerId = containerId, RemotePath = remotePath } }, cancellationToken);
        var buffer = new byte[SeedChunkBytes];
        var batch = new SeedBatch();
        var batchBytes = 0;
        foreach (var item in entries)
        {
            var entry = Entry(item);
            var content = item.Kind == SeedKind.File && item.Size is > 0 and <= SeedChunkBytes ? ReadSmall(Path.Combine(localPath, item.Path)) : null;
            if (item.Kind != SeedKind.File || item.Size == 0 || content is not null)
            {
                if (content is not null)
                {
                    if (batchBytes + content.Length > SeedBatchBytes)
                    {
                        await FlushAsync(stream, batch, cancellationToken);
                        batchBytes = 0;
                    }

                    entry.Content = UnsafeByteOperations.UnsafeWrap(content);
                    batchBytes += content.Length;
                }

                batch.Entries.Add(entry);
                if (batch.Entries.Count >= SeedBatchEntries)
                {
                    await FlushAsync(stream, batch, cancellationToken);
                    batchBytes = 0;
                }

                continue;
            }

            await FlushAsync(stream, batch, cancellationToken);
            batchBytes = 0;
            await stream.WriteAsync(new SeedRequest { Entry = entry }, cancellationToken);
            FileStream file;
            try
            {
                file = new FileStream(Path.Combine(localPath, item.Path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            await using (file)
            {
                int read;
                while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await stream.WriteAsync(new SeedRequest { Data = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken);
                }
            }
        }

        await FlushAsync(stream, batch, cancellationToken);
        await stream.CompleteAsync();
    }

    /// <summary>Sends the batch when it holds anything (one entry alone goes as an entry) and empties it.</summary>
    private static async Task FlushAsync(IClientStreamWriter<SeedRequest> stream, SeedBatch batch, CancellationToken cancellationToken)
    {
        switch (batch.Entries.Count)
        {
            case 0:
                return;
            case 1:
                await stream.WriteAsync(new SeedRequest { Entry = batch.Entries[0] }, cancellationToken);
                break;
            default:
                await stream.WriteAsync(new SeedRequest { Batch = batch.Clone() }, cancellationToken);
                break;
        }

        batch.Entries.Clear();
    }

    /// <summary>
    /// Reads a small file whole, or null when it cannot be read or has grown past <see cref="SeedChunkBytes"/> since the
    /// walk (then it goes the chunked way, which sends what it finds).
    /// </summary>
    private static byte[]? ReadSmall(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var buffer = new byte[SeedChunkBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = file.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            return length is 0 or > SeedChunkBytes ? null : buffer.AsSpan(0, length).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>How long a whole <c>HashFolder</c> walk may take (hashing a large folder on a slow disk): 10 min.</summary>
    public static readonly TimeSpan HashDeadline = TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public async IAsyncEnumerable<FolderEntry> HashFolderAsync(string containerId, string remotePath, IReadOnlyList<string> ignoreLines, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new HashFolderRequest { ContainerId = containerId, RemotePath = remotePath };
        request.IgnoreLines.AddRange(ignoreLines);
        using var call = client.HashFolder(request, deadline: DateTime.UtcNow + HashDeadline, cancellationToken: cancellationToken);
        while (await CallAsync(token => call.ResponseStream.MoveNext(token), cancellationToken))
        {
            var entry = call.ResponseStream.Current;
            yield return new FolderEntry(
                entry.Path,
                entry.Type switch
                {
                    HashEntryType.Directory => FolderEntryKind.Directory,
                    HashEntryType.Symlink => FolderEntryKind.Symlink,
                    _ => FolderEntryKind.File,
                },
                entry.Size,
                entry.Sha256,
                entry.LinkTarget);
        }
    }

    /// <summary>Makes one radar call, turning gRPC errors into the engine's.</summary>
    /// <typeparam name="T">The reply.</typeparam>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="NodeAgentException">radar answered with an error, or did not answer in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    internal static async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Status.Detail, ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new NodeAgentException(ex.StatusCode.ToString(), ex.Status.Detail, ex);
        }
    }
}
