using System.Net;

namespace KSync.Plugin.Status;

/// <summary>One row of <c>/proc/net/tcp</c> or <c>/proc/net/tcp6</c>.</summary>
/// <param name="Address">The local address.</param>
/// <param name="Port">The local port.</param>
/// <param name="State">The TCP state (proc(5) numbering, see <see cref="SocketTable"/>).</param>
/// <param name="Inode">The socket's inode; 0 for TIME_WAIT entries, which no process owns.</param>
internal sealed record SocketEntry(IPAddress Address, int Port, int State, long Inode);
