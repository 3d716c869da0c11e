using System.Text.RegularExpressions;

namespace KSync.Lab.Api;

/// <summary>Kubernetes name rules (Kubernetes docs: "Object Names and IDs").</summary>
internal static partial class Names
{
    /// <summary>Whether <paramref name="name"/> is a DNS subdomain name (RFC 1123, at most 253 characters).</summary>
    /// <param name="name">The name.</param>
    /// <returns>True when valid.</returns>
    public static bool IsDnsSubdomain(string name) => name.Length <= 253 && Subdomain().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
