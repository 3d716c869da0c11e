using System.Text.RegularExpressions;

namespace KSync.Config.Validation;

/// <summary>
/// Kubernetes object-name rules (Kubernetes docs: "Object Names and IDs"): RFC 1123 labels (namespaces,
/// container names) and DNS subdomains (pod names).
/// </summary>
internal static partial class KubernetesNames
{
    /// <summary>Whether <paramref name="name"/> is an RFC 1123 label: 1–63 of a-z, 0-9, '-', alphanumeric at both ends.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when valid.</returns>
    public static bool IsDnsLabel(string name) => name.Length <= 63 && DnsLabel().IsMatch(name);

    /// <summary>Whether <paramref name="name"/> is a DNS subdomain: 1–253 chars, dot-separated RFC 1123 labels.</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when valid.</returns>
    public static bool IsDnsSubdomain(string name) => name.Length <= 253 && DnsSubdomain().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
