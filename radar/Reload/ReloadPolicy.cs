using KSync.Radar.Runtimes;

namespace KSync.Radar.Reload;

/// <summary>
/// Which containers radar may restart or signal: only those the kubelet created for a pod (runtime labels
/// <c>io.kubernetes.pod.name</c>, <c>io.kubernetes.pod.namespace</c>, <c>io.kubernetes.pod.uid</c>, set by the
/// kubelet's kuberuntime labels), never a pod sandbox, never radar's own pod, never a system container outside
/// any pod. Anything else is PermissionDenied.
/// </summary>
internal sealed class ReloadPolicy
{
    /// <summary>Runtime label with the pod name (kubelet: <c>types.KubernetesPodNameLabel</c>).</summary>
    public const string PodNameLabel = "io.kubernetes.pod.name";

    /// <summary>Runtime label with the pod namespace.</summary>
    public const string PodNamespaceLabel = "io.kubernetes.pod.namespace";

    /// <summary>Runtime label with the pod UID.</summary>
    public const string PodUidLabel = "io.kubernetes.pod.uid";

    /// <summary>Runtime label with the container name in the pod spec (<c>POD</c> for dockershim sandboxes).</summary>
    public const string ContainerNameLabel = "io.kubernetes.container.name";

    private readonly OwnPod _self;

    /// <summary>Creates the policy.</summary>
    /// <param name="self">radar's own pod, never acted on.</param>
    public ReloadPolicy(OwnPod self)
    {
        _self = self;
    }

    /// <summary>Throws unless radar may restart or signal <paramref name="container"/>.</summary>
    /// <param name="container">The container as inspected.</param>
    /// <exception cref="Grpc.Core.RpcException">PermissionDenied with the reason.</exception>
    public void EnsureAllowed(ContainerDetails container)
    {
        var labels = container.Labels;
        var name = labels.GetValueOrDefault(PodNameLabel);
        var ns = labels.GetValueOrDefault(PodNamespaceLabel);
        var uid = labels.GetValueOrDefault(PodUidLabel);
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(uid))
        {
            throw RadarErrors.PermissionDenied(
                $"container {container.Ref} does not belong to a Kubernetes pod (no {PodNameLabel}/{PodNamespaceLabel}/{PodUidLabel} labels); radar only reloads pod containers.");
        }

        if (labels.GetValueOrDefault(ContainerNameLabel) == "POD" || labels.GetValueOrDefault("io.kubernetes.docker.type") == "podsandbox")
        {
            throw RadarErrors.PermissionDenied($"container {container.Ref} is the sandbox of pod {ns}/{name}; radar only reloads app containers.");
        }

        var ownUid = _self.Uid.Length > 0 && uid == _self.Uid;
        var ownName = _self.Name.Length > 0 && _self.Namespace.Length > 0 && name == _self.Name && ns == _self.Namespace;
        if (ownUid || ownName)
        {
            throw RadarErrors.PermissionDenied($"container {container.Ref} belongs to radar's own pod {ns}/{name}; radar never reloads itself.");
        }
    }
}
