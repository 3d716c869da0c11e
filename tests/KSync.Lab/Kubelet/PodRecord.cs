using System.Collections.Concurrent;

namespace KSync.Lab.Kubelet;

/// <summary>What the lab kubelet knows about one pod: its containers in the engine and their start counts.</summary>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="Name">Pod name.</param>
internal sealed record PodRecord(string Namespace, string Name)
{
    /// <summary>Gets the gate that serializes reconciles of this pod.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Gets the current engine container of each pod container name.</summary>
    public ConcurrentDictionary<string, ContainerRecord> Containers { get; } = new();

    /// <summary>Gets how often each pod container was started (restartCount = starts - 1).</summary>
    public ConcurrentDictionary<string, int> Starts { get; } = new();

    /// <summary>Gets the containers the kubelet started itself and whose start event is still to come.</summary>
    public ConcurrentDictionary<string, bool> SelfStarted { get; } = new();

    /// <summary>Gets when each container last died.</summary>
    public ConcurrentDictionary<string, DateTime> DiedAt { get; } = new();

    /// <summary>Gets the last terminated state of each container that was restarted.</summary>
    public ConcurrentDictionary<string, ContainerState> LastTerminated { get; } = new();

    /// <summary>Gets or sets the pod UID the containers belong to.</summary>
    public string? Uid { get; set; }
}
