namespace KSync.Plugin.Cluster;

/// <summary>
/// How a watch's connection to the Kubernetes API stands, for <c>get</c> ("connected", or "reconnecting since …"
/// with the last error). Set by <see cref="PodInformer"/>: Connected after a list or a watch stream opened;
/// Reconnecting from the first failure until the next success.
/// </summary>
/// <param name="IsConnected">True when connected.</param>
/// <param name="Since">When the current state began (UTC).</param>
/// <param name="LastError">The last failure while reconnecting, or null.</param>
internal sealed record ApiConnectionState(bool IsConnected, DateTimeOffset Since, string? LastError)
{
    /// <summary>Gets the state's name as <c>get</c> shows it: "connected" or "reconnecting".</summary>
    public string Name => IsConnected ? "connected" : "reconnecting";

    /// <inheritdoc/>
    public override string ToString()
        => IsConnected ? "connected" : $"reconnecting since {Since:u}" + (LastError is null ? string.Empty : $": {LastError}");
}
