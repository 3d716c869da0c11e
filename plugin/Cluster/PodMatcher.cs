using KSync.Config.Validation;
using KSync.Engine.Syncing;
using k8s.Models;

namespace KSync.Plugin.Cluster;

/// <summary>
/// Decides which pods a spec syncs with: by exact pod name AND/OR label selector (both must hold when both are
/// given; the original ignored <c>--pod</c>), and only Running pods, not being deleted, whose named container
/// (or the first container of the pod spec) is running with a container ID.
/// </summary>
internal sealed class PodMatcher
{
    /// <summary>Creates the matcher.</summary>
    /// <param name="podName">Exact pod name, or null.</param>
    /// <param name="selector">Label selector, or null.</param>
    /// <param name="containerName">Container name, or null for the pod's first container.</param>
    /// <exception cref="ArgumentException">Neither a pod name nor a non-empty selector is given.</exception>
    public PodMatcher(string? podName, LabelSelector? selector, string? containerName)
    {
        if (string.IsNullOrEmpty(podName) && (selector is null || selector.IsEmpty))
        {
            throw new ArgumentException("A pod name or a label selector is required.", nameof(podName));
        }

        PodName = string.IsNullOrEmpty(podName) ? null : podName;
        Selector = selector is { IsEmpty: false } ? selector : null;
        ContainerName = string.IsNullOrEmpty(containerName) ? null : containerName;
    }

    /// <summary>Gets the exact pod name, or null.</summary>
    public string? PodName { get; }

    /// <summary>Gets the label selector, or null.</summary>
    public LabelSelector? Selector { get; }

    /// <summary>Gets the container name, or null for the first.</summary>
    public string? ContainerName { get; }

    /// <summary>The server-side filter that narrows a watch to the candidates.</summary>
    /// <param name="ns">Namespace.</param>
    /// <returns>The selection.</returns>
    public PodSelection Selection(string ns) => new(ns, Selector?.ToString(), PodName is null ? null : $"metadata.name={PodName}");

    /// <summary>Whether the pod's name and labels match (whatever its state).</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>True when it matches.</returns>
    public bool Matches(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return (PodName is null || pod.Metadata?.Name == PodName) && (Selector is null || Selector.Matches(pod.Metadata?.Labels));
    }

    /// <summary>The container to sync with, when the pod matches and that container runs now.</summary>
    /// <param name="pod">The pod.</param>
    /// <returns>The container's facts, or null.</returns>
    public RemoteContainer? Match(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!Matches(pod) || pod.Metadata.DeletionTimestamp is not null || pod.Status?.Phase != "Running" || string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return null;
        }

        var name = ContainerName ?? pod.Spec.Containers?.FirstOrDefault()?.Name;
        var status = pod.Status.ContainerStatuses?.FirstOrDefault(s => s.Name == name);
        if (status?.State?.Running is null || string.IsNullOrEmpty(status.ContainerID))
        {
            return null;
        }

        return new RemoteContainer(pod.Metadata.Name, pod.Metadata.NamespaceProperty, pod.Spec.NodeName, status.Name, status.ContainerID, status.RestartCount, pod.Metadata.Uid);
    }
}
