using System.Net.Security;
using System.Net.Sockets;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using KSync.Plugin.Errors;

namespace KSync.Plugin.Cluster;

/// <summary>
/// Proves that this machine can do what every cluster connection needs: a TLS 1.2/1.3 handshake over loopback with
/// a throw-away self-signed certificate (this loads libssl and libcrypto, which .NET opens only on first use), and a
/// system store of trusted CA certificates (for API servers with public certificates and for downloads). Where
/// libssl is missing or broken this fails: with a message, or — on the paths that load it without checking first —
/// the .NET runtime aborts the process ("No usable version of libssl was found"); either way a non-zero exit, which
/// is the point of running it at install time.
/// </summary>
internal static class TlsSelfCheck
{
    private const string InstallLibssl = "Install OpenSSL's library: Debian and Ubuntu libssl3 (libssl3t64 on Ubuntu 24.04, libssl1.1 on older releases), Alpine libssl3.";

    /// <summary>Runs the check.</summary>
    /// <param name="timeout">Bound for the handshake.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <returns>One line for the user, e.g. "ok (OpenSSL 3.0.15, 142 trusted CA certificates)".</returns>
    /// <exception cref="KsyncException">The handshake failed or no trusted CA certificate is installed.</exception>
    public static async Task<string> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await HandshakeAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or TypeInitializationException or CryptographicException)
        {
            // Some paths check for OpenSSL before use and throw instead of aborting (ECDsa.Create does).
            throw new KsyncException($"TLS does not work here: the OpenSSL library (libssl 3 or 1.1) cannot be loaded ({ex.Message}).", InstallLibssl, ex);
        }

        using var roots = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        roots.Open(OpenFlags.ReadOnly);
        if (roots.Certificates.Count == 0)
        {
            throw new KsyncException(
                "TLS works, but no trusted CA certificates are installed, so servers with public certificates cannot be verified.",
                "Install them (Debian/Ubuntu and Alpine: the ca-certificates package).");
        }

        return $"ok ({OpenSslVersion()}, {roots.Certificates.Count} trusted CA certificates)";
    }

    private static async Task HandshakeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var serverSide = AcceptAsync(listener, certificate, deadline.Token);
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, deadline.Token);
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
                },
                deadline.Token);
            await serverSide;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new KsyncException($"TLS does not work here: a handshake over loopback failed ({ex.Message}).", InstallLibssl, ex);
        }
    }

    private static async Task AcceptAsync(TcpListener listener, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        using var server = await listener.AcceptTcpClientAsync(cancellationToken);
        await using var tls = new SslStream(server.GetStream());
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions { ServerCertificate = certificate, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
            cancellationToken);
    }

    private static string OpenSslVersion()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            return "the system's TLS";
        }

        // OPENSSL_VERSION_NUMBER: 0xMNN00PP0 for 3.x (major, minor, patch), 0xMNNFFPPS for 1.x (major, minor, fix).
        var number = SafeEvpPKeyHandle.OpenSslVersion;
        var major = (number >> 28) & 0xF;
        return major >= 3
            ? $"OpenSSL {major}.{(number >> 20) & 0xFF}.{(number >> 4) & 0xFF}"
            : $"OpenSSL {major}.{(number >> 20) & 0xFF}.{(number >> 12) & 0xFF}";
    }
}
