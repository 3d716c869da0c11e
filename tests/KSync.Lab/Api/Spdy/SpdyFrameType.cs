namespace KSync.Lab.Api.Spdy;

/// <summary>SPDY/3 control frame types (draft-mbelshe-httpbis-spdy-00, 2.6; 3.1 keeps them).</summary>
internal enum SpdyFrameType
{
    /// <summary>Opens a stream; carries its headers. The peer answers with SYN_REPLY or RST_STREAM.</summary>
    SynStream = 1,

    /// <summary>Accepts a stream the peer opened.</summary>
    SynReply = 2,

    /// <summary>Ends a stream abnormally, both directions, with a status.</summary>
    RstStream = 3,

    /// <summary>Connection settings; the lab ignores them.</summary>
    Settings = 4,

    /// <summary>A round trip: the receiver of a ping with the other side's parity echoes it.</summary>
    Ping = 6,

    /// <summary>The sender opens no more streams; the connection ends.</summary>
    GoAway = 7,

    /// <summary>More headers for a stream (its block must still be decompressed).</summary>
    Headers = 8,

    /// <summary>Flow control credit; ignored, as spdystream (kubectl's side) neither sends nor honours it.</summary>
    WindowUpdate = 9,
}
