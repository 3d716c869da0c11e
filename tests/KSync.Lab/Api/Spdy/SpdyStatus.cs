namespace KSync.Lab.Api.Spdy;

/// <summary>RST_STREAM status codes the lab sends (draft-mbelshe-httpbis-spdy-00, 2.6.3).</summary>
internal enum SpdyStatus
{
    /// <summary>A frame broke the protocol, e.g. a stream ID out of order.</summary>
    ProtocolError = 1,

    /// <summary>The stream is not wanted; what spdystream sends when a stream handler rejects a new stream.</summary>
    Cancel = 5,
}
