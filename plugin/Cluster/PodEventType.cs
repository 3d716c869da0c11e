namespace KSync.Plugin.Cluster;

/// <summary>
/// What happened to a pod, as <see cref="PodInformer"/> reports it (Kubernetes API Concepts: watch event types;
/// after a re-list the informer reports the difference to its cache with the same three types).
/// </summary>
internal enum PodEventType
{
    /// <summary>A pod appeared (or started matching); the consumer may start syncing it when it runs.</summary>
    Added,

    /// <summary>A known pod changed (phase, container status, restart count, labels).</summary>
    Modified,

    /// <summary>A pod went away (or stopped matching); the consumer tears down what it made for it.</summary>
    Deleted,
}
