using k8s;

namespace KSync.Plugin.Cluster;

/// <summary>
/// A Kubernetes client for the cluster the user chose, with what was resolved on the way: context, namespace,
/// server and the kubeconfig files. Made by <see cref="KubeClientFactory"/>; dispose to release the client.
/// </summary>
internal sealed class ClusterConnection : IDisposable
{
    /// <summary>Creates the connection.</summary>
    /// <param name="client">The client.</param>
    /// <param name="configuration">The resolved client configuration.</param>
    /// <param name="contextName">The kubeconfig context, or null in-cluster.</param>
    /// <param name="ns">The namespace to use.</param>
    /// <param name="files">The kubeconfig files merged (empty in-cluster).</param>
    public ClusterConnection(Kubernetes client, KubernetesClientConfiguration configuration, string? contextName, string ns, IReadOnlyList<string> files)
    {
        Client = client;
        Configuration = configuration;
        ContextName = contextName;
        Namespace = ns;
        KubeconfigFiles = files;
    }

    /// <summary>Gets the client (its HttpClient carries TLS and credentials; see <see cref="Kubernetes.Credentials"/>).</summary>
    public Kubernetes Client { get; }

    /// <summary>Gets the resolved configuration.</summary>
    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>Gets the kubeconfig context used, or null for the in-cluster configuration.</summary>
    public string? ContextName { get; }

    /// <summary>Gets the namespace: <c>-n</c>, else the context's, else "default".</summary>
    public string Namespace { get; }

    /// <summary>Gets the API server URL.</summary>
    public string Server => Configuration.Host;

    /// <summary>Gets the kubeconfig files that were merged, in order.</summary>
    public IReadOnlyList<string> KubeconfigFiles { get; }

    /// <inheritdoc/>
    public void Dispose() => Client.Dispose();
}
