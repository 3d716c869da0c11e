namespace KSync.Lab.Api;

/// <summary>
/// What the lab's one user may do: everything, minus the denials a test adds. The same answers drive
/// SelfSubjectAccessReview (authorization.k8s.io/v1) and the 403 Forbidden replies to real requests, so a test
/// that removes a right sees both, as with RBAC on a real cluster.
/// </summary>
internal sealed class AccessRules
{
    private readonly Lock _lock = new();
    private readonly List<(string Verb, string Group, string Resource, string? Namespace)> _denied = [];

    /// <summary>Denies a verb on a resource.</summary>
    /// <param name="verb">Verb ("create", "get", "list", "watch", "update", "delete", "patch") or "*".</param>
    /// <param name="resource">Resource, with a subresource as "pods/portforward", or "*".</param>
    /// <param name="group">API group ("" for core, "*" for any).</param>
    /// <param name="ns">Namespace, or null for every namespace.</param>
    public void Deny(string verb, string resource, string group = "*", string? ns = null)
    {
        lock (_lock)
        {
            _denied.Add((verb, group, resource, ns));
        }
    }

    /// <summary>Removes every denial.</summary>
    public void AllowAll()
    {
        lock (_lock)
        {
            _denied.Clear();
        }
    }

    /// <summary>Whether the user may do <paramref name="verb"/> on the resource.</summary>
    /// <param name="verb">Verb.</param>
    /// <param name="group">API group.</param>
    /// <param name="resource">Resource (with "/subresource").</param>
    /// <param name="ns">Namespace, or null/empty for cluster scope or all namespaces.</param>
    /// <returns>True when allowed.</returns>
    public bool IsAllowed(string verb, string group, string resource, string? ns)
    {
        lock (_lock)
        {
            return !_denied.Any(d =>
                (d.Verb == "*" || d.Verb == verb)
                && (d.Group == "*" || d.Group == group)
                && (d.Resource == "*" || d.Resource == resource)
                && (d.Namespace is null || d.Namespace == ns));
        }
    }
}
