using System.Collections.Concurrent;
using KSync.Plugin.Cluster;
using KSync.Plugin.Config;
using KSync.Plugin.Syncing;

namespace KSync.Plugin.Tests.Syncing;

internal sealed class FakeFolderFactory : IFolderFactory
{
    public ConcurrentQueue<FakeFolder> Created { get; } = new();

    public int FailuresLeft { get; set; }

    public IFolder Create(SpecDetails spec, RemoteContainer container, ServiceState state)
    {
        var folder = new FakeFolder(spec, container, state, this);
        Created.Enqueue(folder);
        return folder;
    }
}
