using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>
/// <c>GET /rest/db/status?folder=</c> (syncthing REST: Database Endpoints): a folder's state and counts on one device.
/// The reliable "sync done" check is on the receiver: <see cref="State"/> is <c>idle</c>, <see cref="NeedTotalItems"/>
/// is 0 and the global counts match the sender's local ones (docs/architecture.md, "syncthing facts": sync done).
/// </summary>
public sealed class DbStatus
{
    /// <summary>Gets or sets the state: <c>idle</c>, <c>scanning</c>, <c>scan-waiting</c>, <c>sync-waiting</c>, <c>sync-preparing</c>, <c>syncing</c>, <c>cleaning</c>, <c>error</c>, ….</summary>
    [JsonPropertyName("state")]
    public string State { get; set; } = string.Empty;

    /// <summary>Gets or sets when the folder entered <see cref="State"/>, by that syncthing's clock (<c>stateChanged</c>); default when not reported.</summary>
    [JsonPropertyName("stateChanged")]
    public DateTimeOffset StateChanged { get; set; }

    /// <summary>Gets or sets the folder error when <see cref="State"/> is <c>error</c>.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    /// <summary>Gets or sets the number of global files.</summary>
    [JsonPropertyName("globalFiles")]
    public long GlobalFiles { get; set; }

    /// <summary>Gets or sets the number of global directories.</summary>
    [JsonPropertyName("globalDirectories")]
    public long GlobalDirectories { get; set; }

    /// <summary>Gets or sets the number of global deleted items.</summary>
    [JsonPropertyName("globalDeleted")]
    public long GlobalDeleted { get; set; }

    /// <summary>Gets or sets the global size in bytes.</summary>
    [JsonPropertyName("globalBytes")]
    public long GlobalBytes { get; set; }

    /// <summary>Gets or sets the number of local files.</summary>
    [JsonPropertyName("localFiles")]
    public long LocalFiles { get; set; }

    /// <summary>Gets or sets the number of local directories.</summary>
    [JsonPropertyName("localDirectories")]
    public long LocalDirectories { get; set; }

    /// <summary>Gets or sets the local size in bytes.</summary>
    [JsonPropertyName("localBytes")]
    public long LocalBytes { get; set; }

    /// <summary>Gets or sets the items this device still needs (files, directories, symlinks, deletes).</summary>
    [JsonPropertyName("needTotalItems")]
    public long NeedTotalItems { get; set; }

    /// <summary>Gets or sets the bytes this device still needs.</summary>
    [JsonPropertyName("needBytes")]
    public long NeedBytes { get; set; }

    /// <summary>Gets or sets the files changed locally in a receive-only folder (undone by <c>/rest/db/revert</c>).</summary>
    [JsonPropertyName("receiveOnlyChangedFiles")]
    public long ReceiveOnlyChangedFiles { get; set; }

    /// <summary>Gets or sets the directories changed locally in a receive-only folder.</summary>
    [JsonPropertyName("receiveOnlyChangedDirectories")]
    public long ReceiveOnlyChangedDirectories { get; set; }

    /// <summary>Gets or sets the deletes made locally in a receive-only folder.</summary>
    [JsonPropertyName("receiveOnlyChangedDeletes")]
    public long ReceiveOnlyChangedDeletes { get; set; }

    /// <summary>Gets or sets the number of items that failed to sync.</summary>
    [JsonPropertyName("pullErrors")]
    public long PullErrors { get; set; }

    /// <summary>Gets or sets the folder's index sequence on this device.</summary>
    [JsonPropertyName("sequence")]
    public long Sequence { get; set; }

    /// <summary>Gets the items changed locally in a receive-only folder, all kinds together.</summary>
    [JsonIgnore]
    public long ReceiveOnlyChangedItems => ReceiveOnlyChangedFiles + ReceiveOnlyChangedDirectories + ReceiveOnlyChangedDeletes;
}
