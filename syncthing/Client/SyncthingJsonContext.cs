using System.Text.Json.Serialization;
using KSync.Syncthing.Events;

namespace KSync.Syncthing.Client;

/// <summary>
/// Source-generated JSON for the syncthing REST API (AOT-safe, no reflection). Null properties are not written, so a
/// config object with only some properties set is a PATCH.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(SystemStatus))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemConnections))]
[JsonSerializable(typeof(DeviceConfiguration))]
[JsonSerializable(typeof(List<DeviceConfiguration>))]
[JsonSerializable(typeof(FolderConfiguration))]
[JsonSerializable(typeof(List<FolderConfiguration>))]
[JsonSerializable(typeof(OptionsConfiguration))]
[JsonSerializable(typeof(DbCompletion))]
[JsonSerializable(typeof(DbStatus))]
[JsonSerializable(typeof(DbIgnores))]
[JsonSerializable(typeof(List<SyncthingEvent>))]
internal sealed partial class SyncthingJsonContext : JsonSerializerContext
{
}
