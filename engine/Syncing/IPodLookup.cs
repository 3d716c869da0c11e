namespace KSync.Engine.Syncing;

/// <summary>Asks the Kubernetes API about one pod, for the leftover rules (the plugin's implementation; fakes in tests).</summary>
public interface IPodLookup
{
    /// <summary>Looks the pod up now.</summary>
    /// <param name="ns">The pod's namespace.</param>
    /// <param name="podName">The pod's name.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The pod's UID and container IDs, or <see cref="PodPresence.Gone"/> when the API says it does not exist.</returns>
    /// <exception cref="Exception">The API did not answer (then nothing is known, and nothing is removed).</exception>
    Task<PodPresence> LookUpAsync(string ns, string podName, CancellationToken cancellationToken);
}
