using System.Globalization;
using System.Net;

namespace KSync.Plugin.Status;

/// <summary>
/// Reads Linux's TCP socket tables (<c>/proc/net/tcp</c>, <c>/proc/net/tcp6</c>; proc(5)) to tell who uses a local
/// port. Pure: text in, entries and verdicts out.
/// </summary>
internal static class SocketTable
{
    /// <summary>TCP states as proc(5) numbers them (include/net/tcp_states.h).</summary>
    public const int Established = 0x01;

    /// <summary>The closed side that closed first waits here 60 s; no process owns the socket (inode 0).</summary>
    public const int TimeWait = 0x06;

    /// <summary>A listening socket.</summary>
    public const int Listen = 0x0A;

    /// <summary>Parses one table.</summary>
    /// <param name="text">The file's text, header line first.</param>
    /// <returns>Every entry; malformed lines are skipped.</returns>
    public static IReadOnlyList<SocketEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<SocketEntry>();
        foreach (var line in text.Split('\n').Skip(1))
        {
            // "  sl  local_address rem_address   st tx_queue:rx_queue tr:tm->when retrnsmt   uid  timeout inode ..."
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[1].Split(':') is not [var address, var port]
                || !int.TryParse(port, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var portNumber)
                || !int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var state)
                || !long.TryParse(fields[9], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
                || ParseAddress(address) is not { } ip)
            {
                continue;
            }

            entries.Add(new SocketEntry(ip, portNumber, state, inode));
        }

        return entries;
    }

    /// <summary>The entries that keep a listener from binding 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="entries">Entries of both tables.</param>
    /// <param name="port">The port.</param>
    /// <returns>Entries on that port bound to 127.0.0.1 or a wildcard address (IPv4, IPv6, or IPv4-mapped).</returns>
    public static IReadOnlyList<SocketEntry> Blocking(IEnumerable<SocketEntry> entries, int port)
        => [.. entries.Where(e => e.Port == port && IsLoopbackOrAny(e.Address))];

    /// <summary>Decides what holds a port from its <see cref="Blocking"/> entries.</summary>
    /// <param name="blocking">The entries.</param>
    /// <returns>What holds it; the inode names the socket to find its process by.</returns>
    public static PortHolder Classify(IReadOnlyList<SocketEntry> blocking)
    {
        ArgumentNullException.ThrowIfNull(blocking);
        if (blocking.FirstOrDefault(e => e.State == Listen) is { } listener)
        {
            return new PortHolder(PortHolderKind.Listener, listener.Inode, listener.State);
        }

        if (blocking.FirstOrDefault(e => e.State != TimeWait && e.Inode != 0) is { } connection)
        {
            return new PortHolder(PortHolderKind.Connection, connection.Inode, connection.State);
        }

        return blocking.Count > 0
            ? new PortHolder(PortHolderKind.TimeWait, 0, TimeWait)
            : new PortHolder(PortHolderKind.Unknown, 0, 0);
    }

    /// <summary>The state's name as netstat and ss print it.</summary>
    /// <param name="state">A proc(5) state number.</param>
    /// <returns>The name, e.g. ESTABLISHED.</returns>
    public static string StateName(int state) => state switch
    {
        Established => "ESTABLISHED",
        0x02 => "SYN_SENT",
        0x03 => "SYN_RECV",
        0x04 => "FIN_WAIT1",
        0x05 => "FIN_WAIT2",
        TimeWait => "TIME_WAIT",
        0x07 => "CLOSE",
        0x08 => "CLOSE_WAIT",
        0x09 => "LAST_ACK",
        Listen => "LISTEN",
        0x0B => "CLOSING",
        _ => $"state {state}",
    };

    private static bool IsLoopbackOrAny(IPAddress address)
    {
        var v4 = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return v4.Equals(IPAddress.Loopback) || v4.Equals(IPAddress.Any) || v4.Equals(IPAddress.IPv6Any);
    }

    private static IPAddress? ParseAddress(string hex)
    {
        // The kernel prints the address as 32-bit words in host byte order: 127.0.0.1 is 0100007F on little-endian.
        if (hex.Length is not (8 or 32))
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                return null;
            }

            // GetBytes yields the machine's byte order, i.e. the order the kernel had in memory.
            BitConverter.GetBytes(value).CopyTo(bytes, word * 4);
        }

        return new IPAddress(bytes);
    }
}
