using KSync.Plugin.Syncthing;

namespace KSync.Plugin.Syncing;

/// <summary>A syncthing event about one folder, and which side's syncthing raised it.</summary>
/// <param name="IsLocal">True when the local syncthing raised it; false for the node's.</param>
/// <param name="Event">The event (syncthing REST: Event API; <c>data.folder</c> names the folder).</param>
internal sealed record FolderEvent(bool IsLocal, SyncthingEvent Event);
