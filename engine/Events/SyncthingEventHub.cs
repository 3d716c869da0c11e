using System.Collections.Concurrent;
using KSync.Engine.Resilience;
using KSync.Syncthing.Client;
using KSync.Syncthing.Events;
using Microsoft.Extensions.Logging;
using Polly;

namespace KSync.Engine.Events;

/// <summary>
/// One event subscription per syncthing (syncthing REST: <c>GET /rest/events</c>), shared by every Folder on it:
/// reads <see cref="Types"/> with long polls and hands each event to the Folder whose folder ID it names. A failed
/// poll is retried with backoff (the subscription is made again), so a restarting syncthing costs events, never the
/// hub; <see cref="IsHealthy"/> says whether the last poll worked.
/// </summary>
public sealed partial class SyncthingEventHub : IAsyncDisposable
{
    /// <summary>The event types Folders use: item transfers and folder state changes.</summary>
    public static readonly IReadOnlyList<string> Types = ["ItemFinished", "StateChanged", "LocalIndexUpdated"];

    private readonly SyncthingClient _client;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private readonly ConcurrentDictionary<string, Action<SyncthingEvent>> _subscribers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private volatile bool _healthy = true;

    /// <summary>Creates the hub; nothing is polled until <see cref="StartAsync"/>.</summary>
    /// <param name="client">The syncthing to follow.</param>
    /// <param name="name">Which side it is, for logs: "local" or the node name.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="timeProvider">Clock for retry delays.</param>
    public SyncthingEventHub(SyncthingClient client, string name, ILogger logger, TimeProvider timeProvider)
    {
        _client = client;
        _name = name;
        _logger = logger;
        _retry = Backoff.Forever(timeProvider, (ex, delay) =>
        {
            _healthy = false;
            Log.PollFailed(_logger, _name, ex.Message, delay.TotalSeconds);
            Failed?.Invoke(this, ex);
            return ValueTask.CompletedTask;
        }, TimeSpan.FromMilliseconds(500));
    }

    /// <summary>
    /// Raised (on the hub's loop) when a poll failed: the syncthing stopped answering or the way to it closed. The hub
    /// retries by itself; a node session takes it as its link breaking.
    /// </summary>
    public event EventHandler<Exception>? Failed;

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

    /// <summary>Hands every event about <paramref name="folderId"/> to <paramref name="deliver"/> until disposed.</summary>
    /// <param name="folderId">The syncthing folder ID.</param>
    /// <param name="deliver">Takes one event, on the hub's loop; it must not block (write to an unbounded channel).</param>
    /// <returns>A registration; dispose it to stop.</returns>
    public IDisposable Subscribe(string folderId, Action<SyncthingEvent> deliver)
    {
        _subscribers[folderId] = deliver;
        return new Registration(this, folderId, deliver);
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
                    var stream = await SyncthingEventSubscription.SubscribeAsync(_client, Types, token);
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
                            if (item.DataString("folder") is { } folder && _subscribers.TryGetValue(folder, out var deliver))
                            {
                                deliver(item);
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

    private sealed class Registration(SyncthingEventHub hub, string folderId, Action<SyncthingEvent> deliver) : IDisposable
    {
        public void Dispose() => hub._subscribers.TryRemove(new KeyValuePair<string, Action<SyncthingEvent>>(folderId, deliver));
    }
}
