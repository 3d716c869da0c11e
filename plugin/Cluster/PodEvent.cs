using k8s.Models;

namespace KSync.Plugin.Cluster;

/// <summary>One change reported by <see cref="PodInformer"/>.</summary>
/// <param name="Type">What happened.</param>
/// <param name="Pod">The pod after the change (its last state for <see cref="PodEventType.Deleted"/>).</param>
internal sealed record PodEvent(PodEventType Type, V1Pod Pod);
