using KSync.Plugin.Commands;
using KSync.Plugin.Config;
using KSync.Plugin.Syncthing;
using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Syncing;

/// <summary>
/// The local syncthing while watch runs: the managed process (<see cref="SyncthingProcess"/>, home kept across runs so
/// the device ID is stable), its endpoint and event hub, and a <see cref="Restarted"/> notification after the process
/// came back from a crash, so every Folder applies its config again. Folders a crashed watch left are removed at start.
/// </summary>
internal sealed partial class LocalSyncthing : IAsyncDisposable
{
    private readonly SyncthingProcess _process;
    private readonly ILogger _logger;

    private LocalSyncthing(SyncthingProcess process, SyncEndpoint endpoint, SyncthingEventHub events, ILogger logger)
    {
        _process = process;
        Endpoint = endpoint;
        Events = events;
        _logger = logger;
        _process.Restarted += (_, _) => Restarted?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Raised (on a thread-pool thread) after the local syncthing restarted; Folders re-apply their config.</summary>
    public event EventHandler? Restarted;

    /// <summary>Gets the local syncthing's endpoint.</summary>
    public SyncEndpoint Endpoint { get; }

    /// <summary>Gets the local syncthing's event hub.</summary>
    public SyncthingEventHub Events { get; }

    /// <summary>Finds syncthing, starts it and removes folders a previous watch left behind.</summary>
    /// <param name="home">The ksync home.</param>
    /// <param name="environment">Reads environment variables (<c>KSYNC_SYNCTHING</c>, <c>PATH</c>).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running syncthing.</returns>
    /// <exception cref="SyncthingException">No usable syncthing, or it did not start (the message holds its log's tail).</exception>
    /// <exception cref="KsyncException">Another watch runs on the same home.</exception>
    public static async Task<LocalSyncthing> StartAsync(KsyncHome home, Func<string, string?> environment, ILogger logger, CancellationToken cancellationToken)
    {
        var binary = await SyncthingBinaryResolver.ResolveAsync(home, environment, cancellationToken);
        var process = new SyncthingProcess(binary, new SyncthingProcessOptions { Home = home }, logger);
        try
        {
            await process.StartAsync(cancellationToken);
            var endpoint = await SyncEndpoint.ConnectAsync("ksync-local", process.Client, cancellationToken);
            foreach (var folder in await process.Client.GetFoldersAsync(cancellationToken))
            {
                if (folder.Id?.StartsWith(Folder.IdPrefix, StringComparison.Ordinal) == true)
                {
                    await process.Client.RemoveFolderAsync(folder.Id, cancellationToken);
                }
            }

            var events = new SyncthingEventHub(process.Client, "local", isLocal: true, logger, TimeProvider.System);
            await events.StartAsync(cancellationToken);
            Log.Started(logger, binary.Version.Text, endpoint.DeviceId, process.ApiPort);
            return new LocalSyncthing(process, endpoint, events, logger);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Asks whether the local syncthing answers.</summary>
    /// <param name="cancellationToken">Cancels the ping.</param>
    /// <returns>True when it does.</returns>
    public async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.Client.PingAsync(cancellationToken);
            return true;
        }
        catch (SyncthingException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Stops the event hub and syncthing (graceful, then killed after 5 s).</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await Events.DisposeAsync();
        await _process.DisposeAsync();
        Log.Stopped(_logger);
    }
}
