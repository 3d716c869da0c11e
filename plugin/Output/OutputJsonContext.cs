using System.Text.Json.Serialization;

namespace KSync.Plugin.Output;

/// <summary>Source-generated JSON for <c>-o json</c> output (no reflection; AOT-safe). camelCase, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SpecListView))]
internal sealed partial class OutputJsonContext : JsonSerializerContext
{
}
