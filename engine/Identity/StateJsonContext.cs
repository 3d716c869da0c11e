using System.Text.Json.Serialization;

namespace KSync.Engine.Identity;

/// <summary>The state file's JSON (source-generated, so native AOT needs no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StateDocument))]
internal sealed partial class StateJsonContext : JsonSerializerContext
{
}
