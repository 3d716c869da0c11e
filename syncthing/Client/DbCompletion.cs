using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>
/// <c>GET /rest/db/completion?folder=&amp;device=</c> (syncthing REST: Database Endpoints): how far a device is, computed
/// on demand from the index it announced. Can read 100% too early during a bulk share
/// (docs/architecture.md, "syncthing facts": sync done).
/// </summary>
public sealed class DbCompletion
{
    /// <summary>Gets or sets the completion in percent (0–100).</summary>
    [JsonPropertyName("completion")]
    public double Completion { get; set; }

    /// <summary>Gets or sets the global size in bytes.</summary>
    [JsonPropertyName("globalBytes")]
    public long GlobalBytes { get; set; }

    /// <summary>Gets or sets the bytes the device still needs.</summary>
    [JsonPropertyName("needBytes")]
    public long NeedBytes { get; set; }

    /// <summary>Gets or sets the number of global items.</summary>
    [JsonPropertyName("globalItems")]
    public long GlobalItems { get; set; }

    /// <summary>Gets or sets the items the device still needs.</summary>
    [JsonPropertyName("needItems")]
    public long NeedItems { get; set; }

    /// <summary>Gets or sets the deletes the device still needs.</summary>
    [JsonPropertyName("needDeletes")]
    public long NeedDeletes { get; set; }

    /// <summary>Gets or sets the remote folder state: <c>valid</c>, <c>notSharing</c>, <c>paused</c>, <c>unknown</c>.</summary>
    [JsonPropertyName("remoteState")]
    public string? RemoteState { get; set; }
}
