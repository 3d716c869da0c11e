namespace KSync.Lab.Nodes;

/// <summary>What the kubelet asks of a pod sandbox (the pod's shared namespaces), engine-neutral.</summary>
/// <param name="PodName">Pod name.</param>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="Uid">Pod UID.</param>
/// <param name="Attempt">0 for the pod's first sandbox, +1 for each re-creation (a node reboot).</param>
/// <param name="HostNetwork">spec.hostNetwork: the node's network namespace instead of the pod's own.</param>
/// <param name="HostPid">spec.hostPID: containers see the node's PID namespace.</param>
/// <param name="Labels">Labels for the sandbox (the kubelet's io.kubernetes.pod.* and the lab's).</param>
internal sealed record SandboxPlan(string PodName, string Namespace, string Uid, int Attempt, bool HostNetwork, bool HostPid, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Gets the node folder of the pod's container logs, as the kubelet names it: <c>/var/log/pods/NS_NAME_UID</c>.</summary>
    public string LogDirectory => $"/var/log/pods/{Namespace}_{PodName}_{Uid}";
}
