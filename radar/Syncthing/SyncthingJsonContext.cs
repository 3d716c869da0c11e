using System.Text.Json.Serialization;

namespace KSync.Radar.Syncthing;

/// <summary>Source-generated JSON for the syncthing REST calls radar makes (camelCase, as syncthing writes it).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SyncthingSystemStatus))]
[JsonSerializable(typeof(SyncthingVersion))]
[JsonSerializable(typeof(SyncthingOptionsPatch))]
internal sealed partial class SyncthingJsonContext : JsonSerializerContext;
