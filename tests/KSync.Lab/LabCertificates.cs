using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace KSync.Lab;

/// <summary>
/// The lab's TLS identity: a self-signed CA (written into the kubeconfig as <c>certificate-authority-data</c>) and a
/// server certificate it signs for 127.0.0.1 and localhost, so clients verify the server like a real cluster's.
/// </summary>
internal sealed class LabCertificates : IDisposable
{
    private LabCertificates(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
    }

    /// <summary>Gets the CA certificate (public part only matters to clients).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Gets the server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Gets the CA certificate in PEM form.</summary>
    public string AuthorityPem => Authority.ExportCertificatePem();

    /// <summary>Creates a fresh CA and server certificate (valid for 30 days).</summary>
    /// <returns>The certificates.</returns>
    public static LabCertificates Create()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=ksync-lab-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var authority = caRequest.CreateSelfSigned(notBefore, notBefore.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=ksync-lab-apiserver", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = serverRequest.Create(authority, notBefore, notBefore.AddDays(29), serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        // Kestrel needs a key it can use on every platform: round-trip through PKCS#12.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new LabCertificates(authority, server);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
