using System.Text.RegularExpressions;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Cluster.Manifests;

/// <summary>The values <see cref="KsyncManifests.Render"/> puts into the embedded manifest templates.</summary>
internal sealed partial record ManifestSettings
{
    /// <summary>Gets the namespace to install into; default <see cref="NodeAgent.DefaultNamespace"/>.</summary>
    public string Namespace { get; init; } = NodeAgent.DefaultNamespace;

    /// <summary>Gets the node agent image (radar + syncthing); default <see cref="DefaultImage"/>.</summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>Gets the node syncthings' API key (see <see cref="ApiKey"/> for how one is made).</summary>
    public required string ApiKey { get; init; }

    /// <summary>Gets the version label; default this build's version.</summary>
    public string Version { get; init; } = BuildInfo.Current.Version;

    /// <summary>Gets the image this build of the plugin installs by default: the release with the same version.</summary>
    public static string DefaultImage => $"ghcr.io/ksync-dotnet/ksync:v{BuildInfo.Current.Version}";

    /// <summary>Checks every value before it goes into YAML.</summary>
    /// <exception cref="KsyncException">A value is malformed (the message names it and what is allowed).</exception>
    public void Validate()
    {
        if (!DnsLabel().IsMatch(Namespace))
        {
            throw new KsyncException(
                $"'{Namespace}' is not a valid namespace name.",
                "Use lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit (RFC 1123 label).");
        }

        if (!ImageReference().IsMatch(Image))
        {
            throw new KsyncException(
                $"'{Image}' is not a valid image reference.",
                "Use the form [registry/]repository[:tag][@sha256:digest], e.g. ghcr.io/ksync-dotnet/ksync:v0.1.0.");
        }

        if (!ApiKeyPattern().IsMatch(ApiKey))
        {
            throw new KsyncException("The syncthing API key must be 16 to 128 letters, digits, '-' or '_'.");
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();

    [GeneratedRegex("^[A-Za-z0-9_-]{16,128}$")]
    private static partial Regex ApiKeyPattern();
}
