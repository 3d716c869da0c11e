using KSync.Syncthing.Folders;

namespace KSync.Bench.SyncEngine;

/// <summary>A benchmark folder synced between the two nodes.</summary>
/// <param name="Folder">The ksync folder (fast path off; scenarios add their own trigger).</param>
/// <param name="Local">Node A (where files are written).</param>
/// <param name="Files">Files in the folder before measuring.</param>
internal sealed record BenchFolder(SharedFolder Folder, BenchNode Local, int Files)
{
    private int _next;

    public string LocalPath => Folder.Spec.LocalPath;

    public string RemotePath => Folder.Spec.RemotePath;

    public string Id => Folder.Spec.FolderId;

    public int NextIndex() => Interlocked.Increment(ref _next);
}
