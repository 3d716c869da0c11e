using System.Net;
using KSync.Plugin.Status;

namespace KSync.Plugin.Tests.Status;

public sealed class SocketTableTests
{
    // Lines as /proc/net/tcp prints them on a little-endian machine (40322 = 0x9D82).
    private const string Tcp4 = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 640 1 00000000e64f3bff 100 0 0 10 0
           1: 0100007F:9D82 0100007F:1F90 06 00000000:00000000 03:00001234 00000000     0        0 0 3 0000000000000000
           2: 0100007F:9D83 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 77 1 0000000000000000 20 4 30 10 -1
           3: 0200007F:9D82 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 88 1 0000000000000000 100 0 0 10 0
           4: garbage
        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000000000000:9D84 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0
           1: 0000000000000000FFFF00000100007F:9D85 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 55 1 0000000000000000 20 4 30 10 -1
           2: 00000000000000000000000001000000:9D86 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 66 1 0000000000000000 100 0 0 10 0
        """;

    [Fact]
    public void Parse_Ipv4Table_ReadsAddressPortStateAndInode()
    {
        var entries = SocketTable.Parse(Tcp4);

        Assert.Equal(4, entries.Count);
        Assert.Equal(new SocketEntry(IPAddress.Any, 2024, SocketTable.Listen, 640), entries[0]);
        Assert.Equal(new SocketEntry(IPAddress.Loopback, 40322, SocketTable.TimeWait, 0), entries[1]);
        Assert.Equal(new SocketEntry(IPAddress.Loopback, 40323, SocketTable.Established, 77), entries[2]);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), entries[3].Address);
    }

    [Fact]
    public void Parse_Ipv6Table_ReadsWordsInHostOrder()
    {
        var entries = SocketTable.Parse(Tcp6);

        Assert.Equal(IPAddress.IPv6Any, entries[0].Address);
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1"), entries[1].Address);
        Assert.Equal(IPAddress.IPv6Loopback, entries[2].Address);
    }

    [Fact]
    public void Blocking_KeepsLoopbackAndWildcardEntriesOfThePort()
    {
        var all = SocketTable.Parse(Tcp4).Concat(SocketTable.Parse(Tcp6)).ToList();

        Assert.Equal([0L], SocketTable.Blocking(all, 40322).Select(e => e.Inode));
        Assert.Equal([99L], SocketTable.Blocking(all, 40324).Select(e => e.Inode));
        Assert.Equal([55L], SocketTable.Blocking(all, 40325).Select(e => e.Inode));
        Assert.Empty(SocketTable.Blocking(all, 40326));
    }

    [Fact]
    public void Classify_ListenerWins()
    {
        var holder = SocketTable.Classify([Entry(SocketTable.TimeWait, 0), Entry(SocketTable.Established, 7), Entry(SocketTable.Listen, 8)]);

        Assert.Equal(new PortHolder(PortHolderKind.Listener, 8, SocketTable.Listen), holder);
    }

    [Fact]
    public void Classify_OpenConnectionWithoutListener_IsAConnection()
    {
        var holder = SocketTable.Classify([Entry(SocketTable.TimeWait, 0), Entry(0x08, 7)]);

        Assert.Equal(new PortHolder(PortHolderKind.Connection, 7, 0x08), holder);
        Assert.Equal("CLOSE_WAIT", SocketTable.StateName(holder.State));
    }

    [Fact]
    public void Classify_OnlyTimeWait_IsTimeWaitNotAWatch()
        => Assert.Equal(PortHolderKind.TimeWait, SocketTable.Classify([Entry(SocketTable.TimeWait, 0), Entry(SocketTable.TimeWait, 0)]).Kind);

    [Fact]
    public void Classify_Nothing_IsUnknown()
        => Assert.Equal(PortHolderKind.Unknown, SocketTable.Classify([]).Kind);

    private static SocketEntry Entry(int state, long inode) => new(IPAddress.Loopback, 40322, state, inode);
}
