using KSync.Syncthing.Versions;
using KSync.Syncthing.Client;
using KSync.Syncthing.Devices;
using KSync.Syncthing.Processes;
using KSync.TestKit;
using Microsoft.Extensions.Logging;

namespace KSync.Syncthing.Tests.Fixtures;

/// <summary>
/// One real syncthing managed by the plugin's <see cref="SyncthingProcess"/>, in a temp KSYNC_HOME with random free
/// ports and a random API key; stopped and deleted on dispose. Reusable by later test projects that reference the
/// plugin (the lab's node syncthings use the same settings).
/// </summary>
public sealed class SyncthingNode : IAsyncDisposable
{
    private readonly TempDirectory _root;

    private SyncthingNode(string name, TempDirectory root, SyncthingProcess process, SyncEndpoint endpoint)
    {
        Name = name;
        _root = root;
        Process = process;
        Endpoint = endpoint;
    }

    /// <summary>Gets the node's name (device name on the other side).</summary>
    public string Name { get; }

    /// <summary>Gets the temp folder holding the KSYNC_HOME and data folders.</summary>
    public string RootPath => _root.Path;

    internal SyncthingProcess Process { get; }

    internal SyncEndpoint Endpoint { get; }

    internal SyncthingClient Client => Process.Client;

    internal SyncthingProcessOptions Options => new() { Root = Path.Combine(_root.Path, "home") };

    /// <summary>Starts a node; skips (or fails under CI=true) when syncthing is not installed.</summary>
    /// <param name="name">Device name.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="logger">Logger, or null.</param>
    /// <returns>The running node.</returns>
    internal static async Task<SyncthingNode> StartAsync(string name, CancellationToken cancellationToken, ILogger? logger = null)
    {
        var binary = await ResolveBinaryAsync(cancellationToken);
        var root = new TempDirectory("ksync-st");
                var process = new SyncthingProcess(binary, new SyncthingProcessOptions { Root = Path.Combine(root.Path, "home"), RestartDelay = TimeSpan.FromMilliseconds(200) }, logger);
        try
        {
            await process.StartAsync(cancellationToken);
        }
        catch
        {
            await process.DisposeAsync();
            root.Dispose();
            throw;
        }

        return new SyncthingNode(name, root, process, new SyncEndpoint(name, process.Client, process.DeviceId, binary.Capabilities));
    }

    /// <summary>Finds syncthing the way the plugin does, requiring it to be installed.</summary>
    /// <param name="cancellationToken">Cancels the version check.</param>
    /// <returns>The binary.</returns>
    internal static Task<SyncthingBinary> ResolveBinaryAsync(CancellationToken cancellationToken)
    {
        var path = Requires.Tool("syncthing", "syncthing");
        return SyncthingBinaryResolver.ResolveAsync(
            Path.Combine(Path.GetTempPath(), "bin"),
            variable => variable == SyncthingBinaryResolver.EnvironmentVariable ? path : Environment.GetEnvironmentVariable(variable),
            cancellationToken);
    }

    /// <summary>Creates (if needed) and returns a data folder of this node.</summary>
    /// <param name="name">Folder name.</param>
    /// <returns>The absolute path.</returns>
    public string DataPath(string name)
    {
        var path = Path.Combine(_root.Path, "data", name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _root.Dispose();
    }
}
