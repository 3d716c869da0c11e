namespace KSync.Radar;

/// <summary>The pod radar itself runs in, from the downward API; empty values when radar runs outside Kubernetes.</summary>
/// <param name="Uid">Pod UID (env <c>POD_UID</c>).</param>
/// <param name="Name">Pod name (env <c>POD_NAME</c>).</param>
/// <param name="Namespace">Pod namespace (env <c>POD_NAMESPACE</c>).</param>
internal sealed record OwnPod(string Uid, string Name, string Namespace)
{
    /// <summary>Gets the value used when radar runs outside any pod.</summary>
    public static OwnPod None { get; } = new(string.Empty, string.Empty, string.Empty);

    /// <summary>Reads the pod identity from the environment.</summary>
    /// <returns>The identity; missing variables are empty.</returns>
    public static OwnPod FromEnvironment() => new(
        Environment.GetEnvironmentVariable("POD_UID") ?? string.Empty,
        Environment.GetEnvironmentVariable("POD_NAME") ?? string.Empty,
        Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? string.Empty);
}
