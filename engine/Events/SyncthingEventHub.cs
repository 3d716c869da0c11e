using KSync.Engine.Resilience;
using KSync.Syncthing.Client;
using KSync.Syncthing.Events;
using Microsoft.Extensions.Logging;
using Polly;

namespace KSync.Engine.Events;

/// <summary>
/// One event subscription per syncthing (syncthing REST: <c>GET /rest/events</c>), shared by every Folder on it:
/// reads <see cref="Types"/> with long polls and hands each event to the Folder whose folder ID it names. Events of a
/// folder no Folder has subscribed to yet are kept (the last <see cref="BacklogPerFolder"/>) and handed to its first
/// subscriber: syncthing starts exchanging a folder as soon as the devices connect, before the Folder that resumes it
/// subscribes, and what landed then must still count. A failed poll is retried with backoff (the subscription is made
/// again), so a restarting syncthing costs events, never the hub; <see cref="IsHealthy"/> says whether the last poll
/// worked.
/// </summary>
public sealed partial class SyncthingEventHub : IAsyncDisposable
{
    /// <summary>
    /// The event types followed: for Folders, item transfers, folder state changes, index updates, and changes a side's
    /// scanner found (<c>LocalChangeDetected</c> is not in syncthing's default event mask, so it is asked for by name);
    /// for node sessions, a device's connection closing (<c>DeviceDisconnected</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> Types = ["ItemFinished", "StateChanged", "LocalIndexUpdated", "LocalChangeDetected", "DeviceDisconnected"];

    private readonly SyncthingClient _client;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    /// <summary>How many events of a folder without a subscriber are kept for its first subscriber: 1,000 (the newest).</summary>
    public const int BacklogPerFolder = 1000;

    private readonly object _gate = new();
    private readonly Dictionary<string, Action<SyncthingEvent>> _subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<SyncthingEvent>> _backlog = new(StringComparer.Ordinal);
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

    /// <summary>
    /// Raised (on the hub's loop) with a device ID when this syncthing's connection to that device closed (syncthing
    /// event <c>DeviceDisconnected</c>, data <c>{"id", "error"}</c>); a node session takes the node device's as its
    /// link breaking, after checking that no newer connection replaced it.
    /// </summary>
    public event EventHandler<string>? DeviceDisconnected;

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

    /// <summary>
    /// Hands every event about <paramref name="folderId"/> to <paramref name="deliver"/> until disposed, starting with
    /// those kept since the hub started (or the last subscriber left), in order.
    /// </summary>
    /// <param name="folderId">The syncthing folder ID.</param>
    /// <param name="deliver">Takes one event, on the hub's loop or the caller's thread; it must not block (write to an unbounded channel).</param>
    /// <returns>A registration; dispose it to stop.</returns>
    public IDisposable Subscribe(string folderId, Action<SyncthingEvent> deliver)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        lock (_gate)
        {
            _subscribers[folderId] = deliver;
            if (_backlog.Remove(folderId, out var kept))
            {
                foreach (var item in kept)
                {
                    deliver(item);
                }
            }
        }

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
                            if (item.Type == "DeviceDisconnected")
                            {
                                if (item.DataString("id") is { } device)
                                {
                                    DeviceDisconnected?.Invoke(this, device);
                                }
                            }
                            else if (item.DataString("folder") is { } folder)
                            {
                                Dispatch(folder, item);
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

    private void Dispatch(string folder, SyncthingEvent item)
    {
        lock (_gate)
        {
            if (_subscribers.TryGetValue(folder, out var deliver))
            {
                deliver(item);
                return;
            }

            if (!_backlog.TryGetValue(folder, out var kept))
            {
                kept = _backlog[folder] = new Queue<SyncthingEvent>();
            }

            if (kept.Count == BacklogPerFolder)
            {
                kept.Dequeue();
            }

            kept.Enqueue(item);
        }
    }

    private sealed class Registration(SyncthingEventHub hub, string folderId, Action<SyncthingEvent> deliver) : IDisposable
    {
        public void Dispose()
        {
            lock (hub._gate)
            {
                if (hub._subscribers.TryGetValue(folderId, out var current) && current == deliver)
                {
                    hub._subscribers.Remove(folderId);
                }
            }
        }
    }
}
