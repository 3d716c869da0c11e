using KSync.Config.Model;
using KSync.Engine.Events;
using KSync.Engine.Identity;
using KSync.Syncthing;
using KSync.Syncthing.Versions;
using KSync.Syncthing.Devices;
using KSync.Syncthing.Processes;
using Microsoft.Extensions.Logging;

namespace KSync.Engine.Local;

/// <summary>
/// The local syncthing while watch runs: the managed process (<see cref="SyncthingProcess"/>, home kept across runs so
/// the device ID is stable), its endpoint and event hub, and a <see cref="Restarted"/> notification after the process
/// came back from a crash, so every Folder applies its config again. Folders of previous watches stay configured to be
/// resumed; at start only ksync folders no record of the state file knows are removed
/// (<see cref="FolderIdentities.LeftoversOnLocal"/>).
/// </summary>
public sealed partial class LocalSyncthing : IAsyncDisposable
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

    /// <summary>Starts syncthing in the ksync home and removes the ksync folders the state file does not know.</summary>
    /// <param name="binary">The syncthing to run.</param>
    /// <param name="home">The ksync home (syncthing's home, log and PID file live in it).</param>
    /// <param name="identities">Tells which folders are leftovers.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock of the event hub's retries.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running syncthing.</returns>
    /// <exception cref="SyncthingException">It did not start (the message holds its log's tail), or another watch runs on the same home.</exception>
    public static async Task<LocalSyncthing> StartAsync(SyncthingBinary binary, KsyncHome home, FolderIdentities identities, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(identities);
        var process = new SyncthingProcess(binary, new SyncthingProcessOptions { Root = home.Root }, logger);
        try
        {
            await process.StartAsync(cancellationToken);
            var endpoint = await SyncEndpoint.ConnectAsync("ksync-local", process.Client, cancellationToken);
            foreach (var leftover in identities.LeftoversOnLocal(await process.Client.GetFoldersAsync(cancellationToken)))
            {
                await process.Client.RemoveFolderAsync(leftover, cancellationToken);
            }

            var events = new SyncthingEventHub(process.Client, "local", logger, time);
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
