namespace KSync.Plugin.Status;

/// <summary>What holds a port, as <see cref="SocketTable.Classify"/> decides it.</summary>
/// <param name="Kind">Listener, connection, TIME_WAIT only, or unknown.</param>
/// <param name="Inode">The holding socket's inode (0 for TIME_WAIT and unknown), to find its process.</param>
/// <param name="State">Its TCP state (proc(5) numbering).</param>
internal sealed record PortHolder(PortHolderKind Kind, long Inode, int State);
