using System.Collections.Concurrent;
using KSync.Lab.Nodes;

namespace KSync.Lab.Kubelet;

/// <summary>What a node's kubelet knows about one pod: its sandbox, its containers in the engine, starts, probes.</summary>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="Name">Pod name.</param>
internal sealed record PodRecord(string Namespace, string Name)
{
    /// <summary>Gets the gate that serializes reconciles of this pod.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Gets or sets the pod UID the sandbox and containers belong to.</summary>
    public string? Uid { get; set; }

    /// <summary>Gets or sets the pod sandbox ID, or null before it exists.</summary>
    public string? SandboxId { get; set; }

    /// <summary>Gets or sets the sandbox's plan.</summary>
    public SandboxPlan? Sandbox { get; set; }

    /// <summary>Gets or sets the pod IP.</summary>
    public string PodIp { get; set; } = string.Empty;

    /// <summary>Gets or sets how many sandboxes the pod had (a reboot makes a new one).</summary>
    public int SandboxAttempts { get; set; }

    /// <summary>Gets the current engine container of each pod container name.</summary>
    public ConcurrentDictionary<string, ContainerRecord> Containers { get; } = new();

    /// <summary>Gets the last dead container of each name (kept for <c>logs --previous</c>).</summary>
    public ConcurrentDictionary<string, ContainerRecord> Previous { get; } = new();

    /// <summary>Gets how often each pod container was started (restartCount = starts - 1).</summary>
    public ConcurrentDictionary<string, int> Starts { get; } = new();

    /// <summary>Gets the containers the kubelet started itself and whose start event is still to come (Docker).</summary>
    public ConcurrentDictionary<string, bool> SelfStarted { get; } = new();

    /// <summary>Gets when each container last died.</summary>
    public ConcurrentDictionary<string, DateTime> DiedAt { get; } = new();

    /// <summary>Gets the last terminated state of each container that was restarted.</summary>
    public ConcurrentDictionary<string, EngineState> LastTerminated { get; } = new();

    /// <summary>Gets the waiting reason of containers that could not be created.</summary>
    public ConcurrentDictionary<string, (string Reason, string Message)> Waiting { get; } = new();

    /// <summary>Gets the readiness of each container from its readiness probe (absent = no probe result yet).</summary>
    public ConcurrentDictionary<string, bool> Ready { get; } = new();

    /// <summary>Gets consecutive probe failures per "container/kind".</summary>
    public ConcurrentDictionary<string, int> ProbeFailures { get; } = new();

    /// <summary>Gets when each "container/kind" probe last ran.</summary>
    public ConcurrentDictionary<string, DateTime> LastProbe { get; } = new();

    /// <summary>Gets the crash-loop back-off of each container: the earliest next start.</summary>
    public ConcurrentDictionary<string, (DateTime Until, TimeSpan Delay)> Backoff { get; } = new();
}
