using System.Collections.Concurrent;
using KSync.Config.Model;
using KSync.Engine.Status;
using KSync.Engine.Syncing;

namespace KSync.Engine.Fakes;

public sealed class FakeFolderFactory : IFolderFactory
{
    public ConcurrentQueue<FakeFolder> Created { get; } = new();

    public int FailuresLeft { get; set; }

    /// <summary>Gets or sets whether a stopped folder throws ObjectDisposedException (a gate torn down under it) instead of OperationCanceledException.</summary>
    public bool ThrowsDisposedOnStop { get; set; }

    public IFolder Create(SpecDetails spec, RemoteContainer container, ServiceState state)
    {
        var folder = new FakeFolder(spec, container, state, this);
        Created.Enqueue(folder);
        return folder;
    }
}
