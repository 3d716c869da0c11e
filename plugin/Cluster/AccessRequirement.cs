namespace KSync.Plugin.Cluster;

/// <summary>One right a command needs, checked with a SelfSubjectAccessReview (authorization.k8s.io/v1).</summary>
/// <param name="Verb">Verb, e.g. "create".</param>
/// <param name="Group">API group ("" for core).</param>
/// <param name="Resource">Resource, e.g. "daemonsets".</param>
/// <param name="Subresource">Subresource (e.g. "portforward") or null.</param>
/// <param name="Namespace">Namespace, or null for cluster scope.</param>
internal sealed record AccessRequirement(string Verb, string Group, string Resource, string? Subresource, string? Namespace)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var resource = Subresource is null ? Resource : $"{Resource}/{Subresource}";
        var qualified = Group.Length == 0 ? resource : $"{resource}.{Group}";
        return Namespace is null ? $"{Verb} {qualified} (cluster-wide)" : $"{Verb} {qualified} in namespace {Namespace}";
    }
}
