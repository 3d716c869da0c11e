using KSync.Syncthing.Versions;
using KSync.Syncthing.Client;
using KSync.Syncthing.Devices;
using KSync.Syncthing.Processes;

namespace KSync.Bench.SyncEngine;

/// <summary>A managed syncthing (the plugin's <see cref="SyncthingProcess"/>) in a temp KSYNC_HOME, for benchmarks.</summary>
internal sealed class BenchNode : IAsyncDisposable
{
    private BenchNode(string root, SyncthingProcess process, SyncEndpoint endpoint)
    {
        Root = root;
        Process = process;
        Endpoint = endpoint;
    }

    public string Root { get; }

    public SyncthingProcess Process { get; }

    public SyncEndpoint Endpoint { get; }

    public SyncthingClient Client => Process.Client;

    public static async Task<BenchNode> StartAsync(SyncthingBinary binary, string name, CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetTempPath(), $"ksync-bench-{name}-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(root);
        var process = new SyncthingProcess(binary, new SyncthingProcessOptions { Root = Path.Combine(root, "home") });
        await process.StartAsync(cancellationToken);
        return new BenchNode(root, process, new SyncEndpoint(name, process.Client, process.DeviceId, binary.Capabilities));
    }

    public string DataPath(string name)
    {
        var path = Path.Combine(Root, "data", name);
        Directory.CreateDirectory(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
