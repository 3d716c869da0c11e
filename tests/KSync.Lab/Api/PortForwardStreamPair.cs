namespace KSync.Lab.Api;

/// <summary>
/// The data and error streams of one port-forward request, as they arrive (either first). The kubelet forwards once
/// both are there, and rejects a second stream of a type the pair already has.
/// </summary>
/// <typeparam name="TStream">The stream type.</typeparam>
internal sealed class PortForwardStreamPair<TStream>
    where TStream : class
{
    /// <summary>Creates an empty pair.</summary>
    /// <param name="requestId">The request ID it collects streams for.</param>
    public PortForwardStreamPair(string requestId) => RequestId = requestId;

    /// <summary>Gets the request ID.</summary>
    public string RequestId { get; }

    /// <summary>Gets the data stream, or null before it came.</summary>
    public TStream? Data { get; private set; }

    /// <summary>Gets the error stream, or null before it came.</summary>
    public TStream? Error { get; private set; }

    /// <summary>Gets a value indicating whether both streams are there.</summary>
    public bool IsComplete => Data is not null && Error is not null;

    /// <summary>Adds a stream by its type.</summary>
    /// <param name="streamType"><see cref="PortForwardHeaders.Data"/> or <see cref="PortForwardHeaders.Error"/>.</param>
    /// <param name="stream">The stream.</param>
    /// <returns>Null, or the kubelet's text when the pair already has a stream of that type.</returns>
    public string? Add(string streamType, TStream stream)
    {
        if (streamType == PortForwardHeaders.Error)
        {
            if (Error is not null)
            {
                return $"error processing stream for request {RequestId}: error stream already assigned";
            }

            Error = stream;
        }
        else
        {
            if (Data is not null)
            {
                return $"error processing stream for request {RequestId}: data stream already assigned";
            }

            Data = stream;
        }

        return null;
    }
}
