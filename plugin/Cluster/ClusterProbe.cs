using System.Globalization;
using System.Net;
using System.Net.Sockets;
using KSync.Plugin.Errors;
using k8s;
using k8s.Autorest;

namespace KSync.Plugin.Cluster;

/// <summary>
/// The first contact with a cluster: GET /version within a deadline, turning every way it can fail into a
/// <see cref="KsyncException"/> that says what is wrong (unreachable, TLS, credentials) and how to fix it.
/// </summary>
internal static class ClusterProbe
{
    /// <summary>The oldest Kubernetes version ksync supports (no PodSecurityPolicy; apps/v1, authorization/v1).</summary>
    public static readonly Version MinimumVersion = new(1, 25);

    /// <summary>Reads the server version.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="timeout">Deadline for the answer.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The version (major.minor) and the server's gitVersion text.</returns>
    /// <exception cref="KsyncException">The server cannot be reached or refuses the credentials.</exception>
    public static async Task<(Version Version, string GitVersion)> GetVersionAsync(ClusterConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var info = await connection.Client.Version.GetCodeAsync(deadline.Token);
            var minor = new string((info.Minor ?? "0").TakeWhile(char.IsDigit).ToArray());
            var version = new Version(
                int.Parse(info.Major ?? "0", NumberStyles.None, CultureInfo.InvariantCulture),
                int.Parse(minor.Length == 0 ? "0" : minor, NumberStyles.None, CultureInfo.InvariantCulture));
            return (version, info.GitVersion ?? version.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(connection, $"no answer within {timeout.TotalSeconds:0} s", null);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new KsyncException(
                $"The cluster at {connection.Server} refused the credentials of context '{connection.ContextName}' ({(int)ex.Response.StatusCode}).",
                "Log in again or refresh the kubeconfig's credentials (kubectl get pods shows the same error).",
                ex);
        }
        catch (HttpRequestException ex)
        {
            var detail = ex.InnerException is SocketException socket ? $"{socket.SocketErrorCode}: {socket.Message}" : ex.InnerException?.Message ?? ex.Message;
            throw Unreachable(connection, detail, ex);
        }
    }

    private static KsyncException Unreachable(ClusterConnection connection, string detail, Exception? inner)
        => new(
            $"Cannot reach the cluster at {connection.Server} (context '{connection.ContextName}'): {detail}.",
            "Check that the cluster is running and reachable, and that --context/--kubeconfig name the right one.",
            inner);
}
