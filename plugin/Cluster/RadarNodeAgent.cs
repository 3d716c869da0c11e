using System.Runtime.CompilerServices;
using Grpc.Core;
using KSync.Engine.Nodes;
using KSync.Proto.Radar.V1;
using KSync.Syncthing.Verify;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The engine's <see cref="INodeAgent"/> over radar's gRPC API (proto/radar.proto): <c>GetBasePath</c>,
/// <c>PrepareFolder</c>, <c>Restart</c>, <c>Signal</c>, <c>HashFolder</c>, each with a deadline. A gRPC error becomes a <see cref="NodeAgentException"/> with
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
