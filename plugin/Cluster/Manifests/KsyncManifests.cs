using KSync.Plugin.Errors;
using k8s;
using k8s.Models;

namespace KSync.Plugin.Cluster.Manifests;

/// <summary>
/// Renders the manifests <c>init</c> applies from the YAML templates embedded in the plugin
/// (<c>plugin/Cluster/Manifests/*.yaml</c>). Placeholders are <c>{{namespace}}</c>, <c>{{image}}</c>,
/// <c>{{apiKey}}</c> and <c>{{version}}</c>; values are validated before they are substituted.
/// </summary>
internal static class KsyncManifests
{
    /// <summary>Template file names, in creation order.</summary>
    public static readonly IReadOnlyList<string> TemplateNames = ["namespace.yaml", "serviceaccount.yaml", "secret.yaml", "role.yaml", "daemonset.yaml"];

    /// <summary>Renders every template with <paramref name="settings"/>.</summary>
    /// <param name="settings">Namespace, image, API key and version.</param>
    /// <returns>The typed objects and their YAML.</returns>
    /// <exception cref="KsyncException">A setting is malformed.</exception>
    public static KsyncInstallation Render(ManifestSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var yaml = TemplateNames.Select(name => Substitute(ReadTemplate(name), settings)).ToList();
        return new KsyncInstallation(
            Parse<V1Namespace>(yaml[0]),
            Parse<V1ServiceAccount>(yaml[1]),
            Parse<V1Secret>(yaml[2]),
            Parse<V1Role>(yaml[3]),
            Parse<V1DaemonSet>(yaml[4]),
            string.Join("---\n", yaml));
    }

    private static string Substitute(string template, ManifestSettings settings) => template
        .Replace("{{namespace}}", settings.Namespace, StringComparison.Ordinal)
        .Replace("{{image}}", settings.Image, StringComparison.Ordinal)
        .Replace("{{apiKey}}", settings.ApiKey, StringComparison.Ordinal)
        .Replace("{{version}}", settings.Version, StringComparison.Ordinal);

    private static T Parse<T>(string yaml)
        where T : IKubernetesObject
        => KubernetesJson.Deserialize<T>(YamlJson.ToJson(yaml).Single());

    private static string ReadTemplate(string name)
    {
        var assembly = typeof(KsyncManifests).Assembly;
        var resource = $"KSync.Plugin.Cluster.Manifests.{name}";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded manifest '{resource}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
