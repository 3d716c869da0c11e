using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KSync.Plugin.Errors;
using KSync.Plugin.Processes;
using Microsoft.Extensions.Logging;

namespace KSync.Plugin.Status;

/// <summary>
/// The check watch makes before it starts: that it can listen on 127.0.0.1:<c>port</c>. The probe binds as the
/// status server will (.NET sets SO_REUSEADDR on Linux, so connections of an earlier watch in TIME_WAIT do not block
/// it). When the port is taken it says by whom: a running watch (it answers IsAlive with its PID and version),
/// another listening program (PID and name from the socket tables), or a connection that uses the port as its local
/// end. Connections, and TIME_WAIT entries of sockets without SO_REUSEADDR, go away by themselves (40322 lies in
/// Linux's ephemeral range 32768-60999, which outgoing connections draw from): watch waits for them up to
/// <see cref="ReleaseWait"/> instead of refusing to start.
/// </summary>
internal static partial class StatusPort
{
    /// <summary>How long watch waits for a port held by connections to be released: 65 s (TIME_WAIT lasts 60 s).</summary>
    public static readonly TimeSpan ReleaseWait = TimeSpan.FromSeconds(65);

    /// <summary>Returns when 127.0.0.1:<paramref name="port"/> can be listened on.</summary>
    /// <param name="port">The status port.</param>
    /// <param name="logger">Says once that watch waits for the port, and why.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the port is free.</returns>
    /// <exception cref="KsyncException">A watch or another program listens on it, or it was not released in time.</exception>
    public static async Task EnsureFreeAsync(int port, ILogger logger, CancellationToken cancellationToken)
    {
        var waiting = Stopwatch.StartNew();
        var logged = false;
        while (true)
        {
            if (CanListen(port))
            {
                return;
            }

            using (var status = new StatusClient(port))
            {
                if (await status.TryIsAliveAsync(TimeSpan.FromSeconds(2), cancellationToken) is { } alive)
                {
                    throw AnotherWatch(port, alive.Pid, alive.Version);
                }
            }

            var holder = OperatingSystem.IsLinux() ? Read(port) : new PortHolder(PortHolderKind.Unknown, 0, 0);
            var owner = holder.Inode == 0 ? null : FindOwner(holder.Inode);
            if (holder.Kind == PortHolderKind.Listener)
            {
                throw owner is { } o && BackgroundWatch.IsWatch(o.Pid)
                    ? AnotherWatch(port, o.Pid, version: null)
                    : new KsyncException(
                        $"Port {port} on 127.0.0.1 is in use by {Describe(owner)}, which listens on it.",
                        "Run watch with another --port (or KSYNC_PORT), and give get the same one.");
            }

            if (waiting.Elapsed >= ReleaseWait)
            {
                throw new KsyncException(
                    $"Port {port} on 127.0.0.1 is still held by {(holder.Kind == PortHolderKind.Connection ? $"a connection of {Describe(owner)} ({SocketTable.StateName(holder.State)})" : "closed connections")} after {ReleaseWait.TotalSeconds:0} s.",
                    "Run watch with another --port (or KSYNC_PORT), and give get the same one.");
            }

            if (!logged)
            {
                logged = true;
                if (holder.Kind == PortHolderKind.Connection)
                {
                    Log.WaitingForConnection(logger, port, Describe(owner), SocketTable.StateName(holder.State), ReleaseWait.TotalSeconds);
                }
                else
                {
                    Log.WaitingForTimeWait(logger, port, ReleaseWait.TotalSeconds);
                }
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>The error for a port another watch serves.</summary>
    /// <param name="port">The port.</param>
    /// <param name="pid">That watch's PID.</param>
    /// <param name="version">Its version when it answered, else null.</param>
    /// <returns>The exception to throw.</returns>
    public static KsyncException AnotherWatch(int port, int pid, string? version)
        => new(
            $"Another kubectl ksync watch (PID {pid}{(version is null ? string.Empty : $", version {version}")}) already serves status on 127.0.0.1:{port}.",
            $"Use that one ('kubectl ksync get'), stop it ('kubectl ksync clean --local' if it runs in the background, else 'kill {pid}'), or run this watch with another --port.");

    private static bool CanListen(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
    }

    private static PortHolder Read(int port)
    {
        var entries = new List<SocketEntry>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            try
            {
                entries.AddRange(SocketTable.Parse(File.ReadAllText(table)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // No IPv6 table when IPv6 is off.
            }
        }

        return SocketTable.Classify(SocketTable.Blocking(entries, port));
    }

    /// <summary>The process that has socket <paramref name="inode"/> open: its /proc/PID/fd entry links to socket:[inode].</summary>
    private static (int Pid, string Name)? FindOwner(long inode)
    {
        var target = $"socket:[{inode}]";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget == target))
                {
                    return (pid, File.ReadAllText(Path.Combine(dir, "comm")).Trim());
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or it exited meanwhile.
            }
        }

        return null;
    }

    private static string Describe((int Pid, string Name)? owner)
        => owner is { } o ? $"process {o.Pid} ({o.Name})" : "a process of another user";
}
