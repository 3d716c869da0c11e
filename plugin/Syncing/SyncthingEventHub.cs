using System.Collections.Concurrent;
using System.Threading.Channels;
using KSync.Plugin.Resilience;
using KSync.Plugin.Syncthing;
using Microsoft.Extensions.Logging;
using Polly;

namespace KSync.Plugin.Syncing;

/// <summary>
/// One event subscription per syncthing (syncthing REST: <c>GET /rest/events</c>), shared by every Folder on it:
/// reads <see cref="Types"/> with long polls and hands each event to the Folder whose folder ID it names. A failed
/// poll is retried with backoff (the subscription is made again), so a restarting syncthing costs events, never the
/// hub; <see cref="IsHealthy"/> says whether the last poll worked.
/// </summary>
internal sealed partial class SyncthingEventHub : IAsyncDisposable
{
    /// <summary>The event types Folders use: item transfers and folder state changes.</summary>
    public static readonly IReadOnlyList<string> Types = ["ItemFinished", "StateChanged", "LocalIndexUpdated"];

    private readonly SyncthingClient _client;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private readonly ConcurrentDictionary<string, ChannelWriter<FolderEvent>> _subscribers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private volatile bool _healthy = true;

    /// <summary>Creates the hub; nothing is polled until <see cref="StartAsync"/>.</summary>
    /// <param name="client">The syncthing to follow.</param>
    /// <param name="name">Which side it is, for logs and events: "local" or the node name.</param>
    /// <param name="isLocal">True for the local syncthing.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="timeProvider">Clock for retry delays.</param>
    public SyncthingEventHub(SyncthingClient client, string name, bool isLocal, ILogger logger, TimeProvider timeProvider)
    {
        _client = client;
        _name = name;
        IsLocal = isLocal;
        _logger = logger;
        _retry = Backoff.Forever(timeProvider, (ex, delay) =>
        {
            _healthy = false;
            Log.PollFailed(_logger, _name, ex.Message, delay.TotalSeconds);
            return ValueTask.CompletedTask;
        }, TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Gets a value indicating whether this hub follows the local syncthing.</summary>
    public bool IsLocal { get; }

    /// <summary>Gets a value indicating whether the last poll succeeded.</summary>
    public bool IsHealthy => _healthy;

    /// <summary>Subscribes (so no later event is lost) and starts polling in the background.</summary>
    /// <param name="cancellationToken">Cancels waiting for the first subscription.</param>
    /// <returns>A task that completes once the subscription exists.</returns>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = RunAsync(_stop.Token);
        return _subscribed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends every event about <paramref name="folderId"/> to <paramref name="writer"/> until disposed.</summary>
    /// <param name="folderId">The syncthing folder ID.</param>
    /// <param name="writer">Where the events go (never blocks the hub: use an unbounded or dropping channel).</param>
    /// <returns>A registration; dispose it to stop.</returns>
    public IDisposable Subscribe(string folderId, ChannelWriter<FolderEvent> writer)
    {
        _subscribers[folderId] = writer;
        return new Registration(this, folderId, writer);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync(
                async token =>
                {
                    var stream = await SyncthingEventStream.SubscribeAsync(_client, Types, token);
                    _healthy = true;
                    _subscribed.TrySetResult();
                    while (!token.IsCancellationRequested)
                    {
                        var batch = await stream.NextAsync(TimeSpan.FromSeconds(20), token);
                        _healthy = true;
                        if (batch.HasGap)
                        {
                            Log.EventsLost(_logger, _name, batch.MissedEvents);
                        }

                        foreach (var item in batch.Events)
                        {
                            if (item.DataString("folder") is { } folder && _subscribers.TryGetValue(folder, out var writer))
                            {
                                writer.TryWrite(new FolderEvent(IsLocal, item));
                            }
                        }
                    }
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private sealed class Registration(SyncthingEventHub hub, string folderId, ChannelWriter<FolderEvent> writer) : IDisposable
    {
        public void Dispose() => hub._subscribers.TryRemove(new KeyValuePair<string, ChannelWriter<FolderEvent>>(folderId, writer));
    }
}
