using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using KSync.Proto.Ksync.V1;

namespace KSync.Plugin.Status;

/// <summary>
/// Talks to a running <c>watch</c>'s status server (proto/ksync.proto, <c>ksync.v1.Ksync</c>) on
/// 127.0.0.1:<c>port</c> over HTTP/2 without TLS.
/// </summary>
internal sealed class StatusClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Ksync.KsyncClient _client;

    /// <summary>Creates a client for the status server on 127.0.0.1:<paramref name="port"/> (nothing is dialled yet).</summary>
    /// <param name="port">The status port (default 40322).</param>
    public StatusClient(int port)
    {
        Port = port;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        _client = new Ksync.KsyncClient(_channel);
    }

    /// <summary>Gets the port dialled.</summary>
    public int Port { get; }

    /// <summary>Asks whether a watch answers, within <paramref name="timeout"/>.</summary>
    /// <param name="timeout">Deadline of the call (a refused connection returns at once).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The reply, or null when nothing answered in time.</returns>
    public async Task<Alive?> TryIsAliveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.IsAliveAsync(new IsAliveRequest(), deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Unimplemented or StatusCode.Internal)
        {
            return null;
        }
    }

    /// <summary>Gets the spec list watch runs.</summary>
    /// <param name="names">Substring filters on spec names; empty = all.</param>
    /// <param name="timeout">Deadline of the call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The spec list.</returns>
    /// <exception cref="RpcException">watch did not answer.</exception>
    public async Task<SpecList> GetSpecListAsync(IEnumerable<string> names, TimeSpan timeout, CancellationToken cancellationToken)
        => await _client.GetSpecListAsync(Request(names), deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);

    /// <summary>Follows the spec list: the current one, then one after every change, until cancelled or watch stops.</summary>
    /// <param name="names">Substring filters on spec names; empty = all.</param>
    /// <param name="cancellationToken">Ends the stream.</param>
    /// <returns>The spec lists as they change.</returns>
    public async IAsyncEnumerable<SpecList> WatchSpecListAsync(IEnumerable<string> names, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = _client.WatchSpecList(Request(names), cancellationToken: cancellationToken);
        await foreach (var list in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return list;
        }
    }

    /// <summary>Asks watch to reload containers of the named specs now.</summary>
    /// <param name="request">Spec names or all.</param>
    /// <param name="timeout">Deadline of the call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What happened to each container.</returns>
    public async Task<ReloadResponse> ReloadAsync(ReloadRequest request, TimeSpan timeout, CancellationToken cancellationToken)
        => await _client.ReloadAsync(request, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);

    /// <summary>Asks watch for the sync barrier (<c>kubectl ksync wait</c>).</summary>
    /// <param name="request">Spec names (empty = all) and the timeout.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Each container and whether it holds the local changes.</returns>
    /// <exception cref="RpcException">watch did not answer, or refused (NOT_FOUND: an unknown name).</exception>
    public async Task<WaitResponse> WaitAsync(WaitRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // watch answers at its timeout; the call's deadline leaves it 30 s more for its last round of questions.
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(request.TimeoutMs) + TimeSpan.FromSeconds(30);
        return await _client.WaitAsync(request, deadline: deadline, cancellationToken: cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose() => _channel.Dispose();

    private static GetSpecListRequest Request(IEnumerable<string> names)
    {
        var request = new GetSpecListRequest();
        request.Names.AddRange(names);
        return request;
    }
}
