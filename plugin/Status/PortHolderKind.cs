namespace KSync.Plugin.Status;

/// <summary>What keeps the status port from being bound.</summary>
internal enum PortHolderKind
{
    /// <summary>Nothing the socket tables show (not Linux, or it was released meanwhile): bind again.</summary>
    Unknown,

    /// <summary>A listening socket: a watch (it answers IsAlive, or its command line says so) or another program.</summary>
    Listener,

    /// <summary>
    /// An open connection that uses the port as its local end, typically an outgoing one given it from Linux's
    /// ephemeral range (32768-60999); it goes when that connection closes.
    /// </summary>
    Connection,

    /// <summary>
    /// Only closed connections in TIME_WAIT whose sockets lacked SO_REUSEADDR (Linux needs it on both sides to bind
    /// over them); the kernel releases them within 60 s.
    /// </summary>
    TimeWait,
}
