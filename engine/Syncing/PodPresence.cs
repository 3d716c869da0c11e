namespace KSync.Engine.Syncing;

/// <summary>
/// What the Kubernetes API says about a pod a sync was set up with (<see cref="IPodLookup"/>): gone, or there with its
/// UID and container IDs. Only an answer of the API is knowledge; an unreachable API is an exception, never "gone".
/// </summary>
/// <param name="Uid">The pod's UID, or null when no pod of that name exists.</param>
/// <param name="ContainerIds">Container name → its current <c>&lt;runtime&gt;://&lt;id&gt;</c> (containers not started yet are missing).</param>
public sealed record PodPresence(string? Uid, IReadOnlyDictionary<string, string> ContainerIds)
{
    /// <summary>Gets the answer for a pod that does not exist.</summary>
    public static PodPresence Gone { get; } = new(null, new Dictionary<string, string>());

    /// <summary>Gets a value indicating whether no pod of that name exists.</summary>
    public bool IsGone => Uid is null;
}
