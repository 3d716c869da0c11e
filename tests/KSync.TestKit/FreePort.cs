using System.Net;
using System.Net.Sockets;

namespace KSync.TestKit;

/// <summary>Finds free TCP ports on 127.0.0.1 for processes that cannot bind port 0 themselves.</summary>
public static class FreePort
{
    /// <summary>Returns a port that was free a moment ago.</summary>
    /// <returns>The port number.</returns>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
