using System.Threading.Channels;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KSync.Plugin.Cluster;

/// <summary>
/// Keeps an up-to-date view of the pods a selection matches and reports every change, surviving API outages
/// (the model is YARP's ResourceInformer; protocol from Kubernetes API Concepts, "Efficient detection of changes"):
/// list, then watch from the list's resourceVersion with bookmarks; when the server ends a watch, resume from the
/// last version seen (events and bookmarks both advance it); on 410 Gone re-list and report the difference to the
/// cache; on any failure reconnect with exponential backoff and jitter (Polly), reporting
/// <see cref="State"/> as "reconnecting since …". It never gives up; only disposal stops it.
/// KubernetesClient.Aot has no Watch API, so the watch is a GET with <c>watch=1</c> on the client's own HttpClient,
/// read line by line.
/// </summary>
internal sealed partial class PodInformer : IAsyncDisposable
{
    private readonly Kubernetes _client;
    private readonly PodSelection _selection;
    private readonly ILogger _logger;
    private readonly PodInformerOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<PodEvent> _events = Channel.CreateUnbounded<PodEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Dictionary<string, V1Pod> _cache = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly ResiliencePipeline _reconnect;
    private ApiConnectionState _state;
    private Task _loop = Task.CompletedTask;
    private string? _resourceVersion;
    private int _disposed;

    /// <summary>Creates the informer; <see cref="Start"/> starts it (the constructor does no I/O).</summary>
    /// <param name="client">The Kubernetes client.</param>
    /// <param name="selection">Namespace and selectors.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="options">Timing; null for the defaults.</param>
    /// <param name="timeProvider">Clock for state timestamps and backoff; null for the system clock.</param>
    public PodInformer(Kubernetes client, PodSelection selection, ILogger logger, PodInformerOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _selection = selection;
        _logger = logger;
        _options = options ?? new PodInformerOptions();
        _time = timeProvider ?? TimeProvider.System;
        _state = new ApiConnectionState(false, _time.GetUtcNow(), null);
        _reconnect = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException || !_stop.IsCancellationRequested),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.InitialBackoff,
                MaxDelay = _options.MaxBackoff,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    var error = Describe(args.Outcome.Exception);
                    SetReconnecting(error);
                    Log.Reconnecting(_logger, _selection.Namespace, args.RetryDelay.TotalSeconds, error);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>Gets the connection state (read it any time; <c>get</c> shows it).</summary>
    public ApiConnectionState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Gets the changes, in order: read with <c>ReadAllAsync</c>. Completes when the informer is disposed.</summary>
    public ChannelReader<PodEvent> Events => _events.Reader;

    /// <summary>Gets the pods the selection matches now (a copy of the cache).</summary>
    public IReadOnlyList<V1Pod> Pods
    {
        get
        {
            lock (_lock)
            {
                return [.. _cache.Values];
            }
        }
    }

    /// <summary>Gets the resourceVersion the next watch resumes from (null before the first list).</summary>
    public string? ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Starts listing and watching in the background.</summary>
    /// <exception cref="ObjectDisposedException">After disposal.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Completes after the first full list is in the cache (and in <see cref="Events"/>).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task.</returns>
    public Task ReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }

        _events.Writer.TryComplete();
        _ready.TrySetCanceled();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var needList = true;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // Connecting (list when needed, open the watch) is retried with backoff; a stream that later breaks
                // comes back here and starts a fresh backoff sequence.
                var stream = await _reconnect.ExecuteAsync(
                    async ct =>
                    {
                        if (needList)
                        {
                            await ListAsync(ct);
                            needList = false;
                        }

                        try
                        {
                            return await OpenWatchAsync(ct);
                        }
                        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Gone)
                        {
                            needList = true;
                            throw;
                        }
                    },
                    token);
                SetConnected();
                using (stream)
                {
                    needList = await ReadWatchAsync(stream, token);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A stream that broke mid-way: reconnect at once (the pipeline backs off if that fails too).
                SetReconnecting(Describe(ex));
                Log.WatchBroken(_logger, _selection.Namespace, Describe(ex));
            }
        }
    }

    private void SetConnected()
    {
        lock (_lock)
        {
            if (!_state.IsConnected)
            {
                _state = new ApiConnectionState(true, _time.GetUtcNow(), null);
                Log.Connected(_logger, _selection.Namespace, _resourceVersion ?? string.Empty);
            }
        }
    }

    private void SetReconnecting(string error)
    {
        lock (_lock)
        {
            _state = _state.IsConnected
                ? new ApiConnectionState(false, _time.GetUtcNow(), error)
                : _state with { LastError = error };
        }
    }

    private static string Describe(Exception? ex) => ex switch
    {
        null => "unknown error",
        k8s.Autorest.HttpOperationException http => $"HTTP {(int)http.Response.StatusCode}: {TrimBody(http.Response.Content)}",
        KubernetesException kube => $"{kube.Status?.Code} {kube.Status?.Reason}: {kube.Status?.Message}",
        _ when ex.InnerException is { } inner && ex is HttpRequestException => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };

    private static string TrimBody(string? body) => body is null ? string.Empty : body.Length > 200 ? body[..200] : body;
}
