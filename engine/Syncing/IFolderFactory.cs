using KSync.Config.Model;
using KSync.Engine.Status;

namespace KSync.Engine.Syncing;

/// <summary>Makes the Folder of a Service (the real one talks to radar and syncthing; tests use fakes).</summary>
public interface IFolderFactory
{
    /// <summary>Creates a Folder for one container; no work is done until <see cref="IFolder.RunAsync"/>.</summary>
    /// <param name="spec">The spec's details.</param>
    /// <param name="container">The container to sync with.</param>
    /// <param name="state">The Service's state, which the Folder updates.</param>
    /// <returns>The folder.</returns>
    IFolder Create(SpecDetails spec, RemoteContainer container, ServiceState state);
}
