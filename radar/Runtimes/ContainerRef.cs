using System.Text.RegularExpressions;

namespace KSync.Radar.Runtimes;

/// <summary>
/// A container ID as a pod status reports it (<c>&lt;runtime&gt;://&lt;id&gt;</c>), checked: the runtime is one
/// radar serves and the ID is 64 lowercase hex digits (what Docker, containerd and CRI-O all use).
/// </summary>
/// <param name="Runtime">The runtime named by the scheme.</param>
/// <param name="Id">The bare 64-hex-digit ID.</param>
internal sealed partial record ContainerRef(RuntimeKind Runtime, string Id)
{
    /// <summary>Parses and validates a container ID from a request.</summary>
    /// <param name="value">E.g. <c>containerd://3f0c…</c>.</param>
    /// <returns>The parsed reference.</returns>
    /// <exception cref="Grpc.Core.RpcException">InvalidArgument when malformed; FailedPrecondition for a runtime radar does not serve.</exception>
    public static ContainerRef Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw RadarErrors.InvalidArgument("container_id is empty; expected <runtime>://<id> as in the pod's status.");
        }

        var match = Shape().Match(value);
        if (!match.Success)
        {
            throw RadarErrors.InvalidArgument($"container_id '{Printable(value)}' is not <runtime>://<64 hex digits> as in the pod's status.");
        }

        var kind = match.Groups["scheme"].Value switch
        {
            "docker" => RuntimeKind.Docker,
            "containerd" => RuntimeKind.Containerd,
            "cri-o" => RuntimeKind.CriO,
            var other => throw RadarErrors.FailedPrecondition($"container runtime '{other}' is not supported by radar (docker, containerd and cri-o are)."),
        };
        return new ContainerRef(kind, match.Groups["id"].Value);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Scheme(Runtime)}://{Id}";

    /// <summary>Gets the scheme (and backend name) of a runtime.</summary>
    /// <param name="kind">The runtime.</param>
    /// <returns><c>docker</c>, <c>containerd</c> or <c>cri-o</c>.</returns>
    public static string Scheme(RuntimeKind kind) => kind switch
    {
        RuntimeKind.Docker => "docker",
        RuntimeKind.Containerd => "containerd",
        _ => "cri-o",
    };

    private static string Printable(string value)
    {
        var cut = value.Length > 100 ? value[..100] + "…" : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }

    [GeneratedRegex("^(?<scheme>[a-z][a-z0-9.+-]{0,31})://(?<id>[0-9a-f]{64})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
