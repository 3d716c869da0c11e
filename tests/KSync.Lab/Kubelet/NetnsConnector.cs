using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace KSync.Lab.Kubelet;

/// <summary>
/// Connects to 127.0.0.1:port inside a container's network namespace, as the kubelet's port-forward does
/// (dockershim ran socat under nsenter): a dedicated thread enters the namespace with <c>setns(2)</c>, creates and
/// connects the socket (a socket stays in the namespace it was created in), and returns to the lab's namespace.
/// Needs root (CAP_SYS_ADMIN).
/// </summary>
internal static partial class NetnsConnector
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>Connects to a port inside the network namespace of process <paramref name="pid"/>.</summary>
    /// <param name="pid">A process in the container (its main process).</param>
    /// <param name="port">The port on the container's loopback.</param>
    /// <param name="cancellationToken">Cancels the wait (the connect itself is bounded by 5 s).</param>
    /// <returns>A connected stream that owns the socket.</returns>
    /// <exception cref="SocketException">Nothing listens there (connection refused).</exception>
    /// <exception cref="IOException">The namespace could not be entered.</exception>
    public static Task<Stream> ConnectAsync(int pid, int port, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                result.TrySetResult(ConnectInNamespace(pid, port));
            }
            catch (Exception ex)
            {
                result.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "lab-netns-connect",
        };
        thread.Start();
        return result.Task.WaitAsync(cancellationToken);
    }

    private static NetworkStream ConnectInNamespace(int pid, int port)
    {
        using var own = File.OpenHandle($"/proc/thread-self/ns/net");
        using var target = File.OpenHandle($"/proc/{pid}/ns/net");
        if (SetNs(target.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
        {
            throw new IOException($"setns into the network namespace of pid {pid} failed (errno {Marshal.GetLastPInvokeError()}); the lab needs root.");
        }

        Socket socket;
        try
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }
        finally
        {
            if (SetNs(own.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
            {
                // The thread is dedicated and exits right after; nothing else runs in the wrong namespace.
                Environment.FailFast("setns back to the lab's network namespace failed");
            }
        }

        try
        {
            // Connect after returning: the socket keeps the namespace it was created in.
            var connect = socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            if (!connect.Wait(TimeSpan.FromSeconds(5)))
            {
                throw new SocketException((int)SocketError.TimedOut);
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException inner)
        {
            socket.Dispose();
            throw inner;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
