using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary><c>GET /rest/system/ping</c>: <c>{"ping":"pong"}</c> (syncthing REST: System Endpoints).</summary>
internal sealed class PingResponse
{
    /// <summary>Gets or sets the answer, <c>pong</c>.</summary>
    [JsonPropertyName("ping")]
    public string? Ping { get; set; }
}
