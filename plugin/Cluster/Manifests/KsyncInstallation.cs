using k8s;
using k8s.Models;

namespace KSync.Plugin.Cluster.Manifests;

/// <summary>
/// Every object <c>kubectl ksync init</c> creates, rendered from the embedded templates, and their YAML.
/// <c>clean --remote</c> deletes all of them (the original left its RBAC objects behind).
/// </summary>
/// <param name="Namespace">The ksync namespace, labelled for Pod Security "privileged".</param>
/// <param name="ServiceAccount">The node agent's account (no API rights, no token mounted).</param>
/// <param name="Secret">The node syncthings' API key.</param>
/// <param name="UserRole">The Role admins bind to developers: list agent pods and port-forward to them.</param>
/// <param name="DaemonSet">The node agent: radar and syncthing on every Linux node.</param>
/// <param name="Yaml">The rendered templates, one YAML document each, in <see cref="All"/> order.</param>
internal sealed record KsyncInstallation(
    V1Namespace Namespace,
    V1ServiceAccount ServiceAccount,
    V1Secret Secret,
    V1Role UserRole,
    V1DaemonSet DaemonSet,
    string Yaml)
{
    /// <summary>Gets the objects in the order to create them (reverse order to delete).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> All => [Namespace, ServiceAccount, Secret, UserRole, DaemonSet];
}
