using System.Net;
using k8s;
using k8s.Autorest;
using KSync.Engine.Syncing;
using KubernetesClient = k8s.Kubernetes;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The engine's <see cref="IPodLookup"/> over the Kubernetes API: <c>GET /api/v1/namespaces/NS/pods/NAME</c>. 404 is
/// the only answer that means gone; any other failure is thrown (the engine then knows nothing and removes nothing).
/// </summary>
/// <param name="client">The Kubernetes client.</param>
internal sealed class PodLookup(KubernetesClient client) : IPodLookup
{
    /// <inheritdoc/>
    public async Task<PodPresence> LookUpAsync(string ns, string podName, CancellationToken cancellationToken)
    {
        try
        {
            var pod = await client.CoreV1.ReadNamespacedPodAsync(podName, ns, cancellationToken: cancellationToken);
            var ids = (pod.Status?.ContainerStatuses ?? [])
                .Where(c => !string.IsNullOrEmpty(c.ContainerID))
                .ToDictionary(c => c.Name, c => c.ContainerID, StringComparer.Ordinal);
            return new PodPresence(pod.Metadata.Uid, ids);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return PodPresence.Gone;
        }
    }
}
