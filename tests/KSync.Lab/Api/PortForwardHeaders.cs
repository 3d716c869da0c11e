using System.Globalization;

namespace KSync.Lab.Api;

/// <summary>
/// The stream headers of port-forward over SPDY (k8s.io/api core/v1 constants; the kubelet's streaming server checks
/// them in its httpstream port-forward handler): every forwarded connection is two streams, <c>streamType</c>
/// <c>error</c> and <c>data</c>, sharing a <c>requestID</c> and naming the pod <c>port</c>.
/// </summary>
internal static class PortForwardHeaders
{
    /// <summary>The port header.</summary>
    public const string Port = "port";

    /// <summary>The stream type header: <see cref="Data"/> or <see cref="Error"/>.</summary>
    public const string StreamType = "streamType";

    /// <summary>The request ID header that pairs a data stream with its error stream.</summary>
    public const string RequestId = "requestID";

    /// <summary>The stream type of the connection's bytes.</summary>
    public const string Data = "data";

    /// <summary>The stream type the server writes a failure's text to.</summary>
    public const string Error = "error";

    /// <summary>Checks a new stream's headers as the kubelet does before it accepts the stream.</summary>
    /// <param name="headers">The stream's headers (names case-insensitive).</param>
    /// <returns>Null when valid, else the kubelet's reason for rejecting it.</returns>
    public static string? Validate(IReadOnlyDictionary<string, string> headers)
    {
        if (!headers.TryGetValue(Port, out var port) || port.Length == 0)
        {
            return $"\"{Port}\" header is required";
        }

        if (!ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return $"unable to parse \"{port}\" as a port";
        }

        if (number < 1)
        {
            return $"port \"{port}\" must be > 0";
        }

        if (!headers.TryGetValue(StreamType, out var type) || type.Length == 0)
        {
            return $"\"{StreamType}\" header is required";
        }

        return type is Data or Error ? null : $"invalid stream type \"{type}\"";
    }

    /// <summary>
    /// The request a stream belongs to: its requestID header, or — from clients older than that header — a pseudo-ID
    /// from the stream ID (the error stream's own ID; a data stream's ID minus 2), as the kubelet derives it.
    /// </summary>
    /// <param name="headers">The stream's (valid) headers.</param>
    /// <param name="streamId">The SPDY stream ID.</param>
    /// <returns>The request ID.</returns>
    public static string RequestIdOf(IReadOnlyDictionary<string, string> headers, uint streamId)
        => headers.TryGetValue(RequestId, out var id) && id.Length > 0
            ? id
            : (headers[StreamType] == Error ? streamId : streamId - 2).ToString(CultureInfo.InvariantCulture);

    /// <summary>The pod port of a valid stream.</summary>
    /// <param name="headers">The stream's (valid) headers.</param>
    /// <returns>The port.</returns>
    public static int PortOf(IReadOnlyDictionary<string, string> headers) => int.Parse(headers[Port], NumberStyles.None, CultureInfo.InvariantCulture);
}
