using System.Text.Json.Serialization;
using KSync.Syncthing.Versions;

namespace KSync.Syncthing.Client;

/// <summary>
/// A folder in syncthing's config (<c>/rest/config/folders</c>; syncthing docs "Folder configuration"). Properties left
/// null are not sent: syncthing fills them from <c>defaults/folder</c> on POST and keeps them on PATCH, so the same
/// type serves as a full config and as a patch.
/// </summary>
public sealed class FolderConfiguration
{
    /// <summary>Gets or sets the folder ID, shared by every device that syncs it.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>Gets or sets the display label.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    /// <summary>Gets or sets the folder's path on that device.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    /// <summary>Gets or sets the folder type, one of <see cref="FolderType"/>'s values.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    /// <summary>Gets or sets the devices the folder is shared with (this device included).</summary>
    [JsonPropertyName("devices")]
    public List<FolderDeviceConfiguration>? Devices { get; set; }

    /// <summary>Gets or sets the full-rescan interval in seconds (syncthing default 3,600).</summary>
    [JsonPropertyName("rescanIntervalS")]
    public int? RescanIntervalS { get; set; }

    /// <summary>Gets or sets a value indicating whether syncthing's own file watcher is on.</summary>
    [JsonPropertyName("fsWatcherEnabled")]
    public bool? FsWatcherEnabled { get; set; }

    /// <summary>
    /// Gets or sets the watcher's aggregation delay in seconds: an integer ≥ 1 before syncthing 1.23 (0 disables the
    /// watcher), a float ≥ 0.01 after. Use <see cref="SyncthingCapabilities.WatcherDelaySeconds"/> to produce it.
    /// </summary>
    [JsonPropertyName("fsWatcherDelayS")]
    public double? FsWatcherDelayS { get; set; }

    /// <summary>Gets or sets how many conflict copies to keep: -1 unlimited, 0 none (ksync always uses more than 0).</summary>
    [JsonPropertyName("maxConflicts")]
    public int? MaxConflicts { get; set; }

    /// <summary>Gets or sets a value indicating whether permission bits are ignored.</summary>
    [JsonPropertyName("ignorePerms")]
    public bool? IgnorePerms { get; set; }

    /// <summary>Gets or sets a value indicating whether the folder is paused.</summary>
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    /// <summary>Gets or sets the 2.x delay before pulling after an index update, in seconds (default 1; ksync sets 0).</summary>
    [JsonPropertyName("pullerDelayS")]
    public double? PullerDelayS { get; set; }

    /// <summary>Gets or sets a value indicating whether the receiver skips fsync (faster bulk syncs, less durability).</summary>
    [JsonPropertyName("disableFsync")]
    public bool? DisableFsync { get; set; }

    /// <summary>
    /// Gets or sets the folder marker: a file or directory that must exist in the folder root before syncthing
    /// syncs it (default <c>.stfolder</c>). ksync uses <c>.</c>, the root itself: no marker litters the project
    /// or the container, and a re-added folder never stops on "folder marker missing" (syncthing config docs,
    /// folder element <c>markerName</c>; FAQ "How do I serve a folder from a read only filesystem?").
    /// </summary>
    [JsonPropertyName("markerName")]
    public string? MarkerName { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether files and directories syncthing creates take the owner of their parent
    /// directory (syncthing config docs, folder element <c>copyOwnershipFromParent</c>; Unix only, needs CAP_CHOWN: a
    /// refused chown fails the item).
    /// </summary>
    [JsonPropertyName("copyOwnershipFromParent")]
    public bool? CopyOwnershipFromParent { get; set; }
}
