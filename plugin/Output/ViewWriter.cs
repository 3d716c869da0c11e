using System.Text.Json;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KSync.Plugin.Output;

/// <summary>Renders views as JSON (source-generated System.Text.Json) or YAML (YamlDotNet's static serializer).</summary>
internal static class ViewWriter
{
    private static readonly ISerializer s_yaml = new StaticSerializerBuilder(new OutputYamlContext())
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>Renders <paramref name="view"/> as indented JSON with a trailing newline.</summary>
    /// <param name="view">The view.</param>
    /// <returns>The JSON text.</returns>
    public static string Json(SpecListView view) => JsonSerializer.Serialize(view, OutputJsonContext.Default.SpecListView) + "\n";

    /// <summary>Renders <paramref name="view"/> as YAML.</summary>
    /// <param name="view">The view.</param>
    /// <returns>The YAML text.</returns>
    public static string Yaml(SpecListView view) => s_yaml.Serialize(view);
}
