namespace KSync.Plugin.Cluster.Manifests;

/// <summary>
/// Names and ports of the node agent that <c>init</c> installs (see <c>daemonset.yaml</c>). The plugin reaches
/// every port through a Kubernetes port-forward to the agent pod on the target container's node.
/// </summary>
internal static class NodeAgent
{
    /// <summary>Default namespace of everything <c>init</c> creates.</summary>
    public const string DefaultNamespace = "ksync";

    /// <summary>Name of the DaemonSet, ServiceAccount and Secret.</summary>
    public const string Name = "ksync";

    /// <summary>Name of the Role admins bind to developers who may use ksync.</summary>
    public const string UserRoleName = "ksync-user";

    /// <summary>Key of the syncthing API key in the Secret.</summary>
    public const string ApiKeySecretKey = "syncthing-api-key";

    /// <summary>Label selector that finds the agent pods (<c>app.kubernetes.io/name=ksync,app.kubernetes.io/component=node-agent</c>).</summary>
    public const string PodSelector = "app.kubernetes.io/name=ksync,app.kubernetes.io/component=node-agent";

    /// <summary>Container name of radar in the agent pod.</summary>
    public const string RadarContainer = "radar";

    /// <summary>Container name of syncthing in the agent pod.</summary>
    public const string SyncthingContainer = "syncthing";

    /// <summary>radar's gRPC port (127.0.0.1 in the pod).</summary>
    public const int RadarPort = 40321;

    /// <summary>radar's gRPC health port (all interfaces: the kubelet's gRPC probes reach it).</summary>
    public const int RadarHealthPort = 40320;

    /// <summary>The node syncthing's REST API port (127.0.0.1 in the pod).</summary>
    public const int SyncthingApiPort = 8384;

    /// <summary>The node syncthing's sync protocol port (127.0.0.1 in the pod).</summary>
    public const int SyncthingSyncPort = 22000;
}
