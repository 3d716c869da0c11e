using KSync.Config.Model;
using KSync.Engine.Status;

namespace KSync.Engine.Syncing;

/// <summary>Makes the real <see cref="Folder"/>s of a watch.</summary>
/// <param name="context">What the Folders share.</param>
public sealed class FolderFactory(FolderContext context) : IFolderFactory
{
    /// <inheritdoc/>
    public IFolder Create(SpecDetails spec, RemoteContainer container, ServiceState state) => new Folder(spec, container, state, context);
}
