namespace KSync.Lab.Api;

/// <summary>
/// One API resource the lab serves (Kubernetes API reference: APIResource): where it lives in the URL space,
/// its kind, whether it is namespaced, and the verbs discovery announces.
/// </summary>
/// <param name="Group">API group, "" for core.</param>
/// <param name="Version">API version, e.g. "v1".</param>
/// <param name="Plural">Resource name in URLs, e.g. "pods".</param>
/// <param name="Kind">Object kind, e.g. "Pod".</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="Verbs">Verbs discovery lists.</param>
/// <param name="ShortNames">kubectl short names, e.g. "po".</param>
internal sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced, string[] Verbs, string[] ShortNames)
{
    private static readonly string[] s_crud = ["create", "delete", "get", "list", "patch", "update", "watch"];

    /// <summary>Gets core/v1 pods.</summary>
    public static ResourceKind Pods { get; } = new(string.Empty, "v1", "pods", "Pod", true, s_crud, ["po"]);

    /// <summary>Gets core/v1 namespaces.</summary>
    public static ResourceKind Namespaces { get; } = new(string.Empty, "v1", "namespaces", "Namespace", false, s_crud, ["ns"]);

    /// <summary>Gets core/v1 nodes.</summary>
    public static ResourceKind Nodes { get; } = new(string.Empty, "v1", "nodes", "Node", false, s_crud, ["no"]);

    /// <summary>Gets core/v1 secrets.</summary>
    public static ResourceKind Secrets { get; } = new(string.Empty, "v1", "secrets", "Secret", true, s_crud, []);

    /// <summary>Gets core/v1 service accounts.</summary>
    public static ResourceKind ServiceAccounts { get; } = new(string.Empty, "v1", "serviceaccounts", "ServiceAccount", true, s_crud, ["sa"]);

    /// <summary>Gets core/v1 events.</summary>
    public static ResourceKind Events { get; } = new(string.Empty, "v1", "events", "Event", true, s_crud, ["ev"]);

    /// <summary>Gets apps/v1 DaemonSets.</summary>
    public static ResourceKind DaemonSets { get; } = new("apps", "v1", "daemonsets", "DaemonSet", true, s_crud, ["ds"]);

    /// <summary>Gets rbac.authorization.k8s.io/v1 Roles.</summary>
    public static ResourceKind Roles { get; } = new("rbac.authorization.k8s.io", "v1", "roles", "Role", true, s_crud, []);

    /// <summary>Gets rbac.authorization.k8s.io/v1 RoleBindings.</summary>
    public static ResourceKind RoleBindings { get; } = new("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, s_crud, []);

    /// <summary>Gets core/v1 ConfigMaps.</summary>
    public static ResourceKind ConfigMaps { get; } = new(string.Empty, "v1", "configmaps", "ConfigMap", true, s_crud, ["cm"]);

    /// <summary>Gets core/v1 PersistentVolumeClaims.</summary>
    public static ResourceKind PersistentVolumeClaims { get; } = new(string.Empty, "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, s_crud, ["pvc"]);

    /// <summary>Gets core/v1 PersistentVolumes.</summary>
    public static ResourceKind PersistentVolumes { get; } = new(string.Empty, "v1", "persistentvolumes", "PersistentVolume", false, s_crud, ["pv"]);

    /// <summary>Gets storage.k8s.io/v1 StorageClasses.</summary>
    public static ResourceKind StorageClasses { get; } = new("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, s_crud, ["sc"]);

    /// <summary>Gets authorization.k8s.io/v1 SelfSubjectAccessReviews (create only, not stored).</summary>
    public static ResourceKind SelfSubjectAccessReviews { get; } = new("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, ["create"], []);

    /// <summary>Gets every resource the lab serves.</summary>
    public static IReadOnlyList<ResourceKind> All { get; } =
        [Pods, Namespaces, Nodes, Secrets, ServiceAccounts, Events, ConfigMaps, PersistentVolumeClaims, PersistentVolumes, DaemonSets, Roles, RoleBindings, StorageClasses, SelfSubjectAccessReviews];

    /// <summary>Gets a value indicating whether the resource has a status subresource (PUT ignores status).</summary>
    public bool HasStatus => this == Pods || this == DaemonSets || this == Namespaces || this == Nodes || this == PersistentVolumeClaims || this == PersistentVolumes;

    /// <summary>Gets the apiVersion objects carry: "v1" or "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Gets the kind of the collection, e.g. "PodList".</summary>
    public string ListKind => Kind + "List";

    /// <summary>Gets the singular name discovery announces ("pod").</summary>
    public string Singular => Kind.ToLowerInvariant();

    /// <summary>Finds a served resource.</summary>
    /// <param name="group">API group.</param>
    /// <param name="version">Version.</param>
    /// <param name="plural">Plural name.</param>
    /// <returns>The resource, or null.</returns>
    public static ResourceKind? Find(string group, string version, string plural)
        => All.FirstOrDefault(k => k.Group == group && k.Version == version && k.Plural == plural);
}
