using Org.BouncyCastle.Crypto.Digests;

namespace KSync.Syncthing.Verify;

/// <summary>
/// Incremental SHA-256 (FIPS 180-4) over BouncyCastle's managed digest. .NET's own SHA-256 on Linux loads OpenSSL,
/// which the node agent's image does not ship (radar aborts with "No usable version of libssl was found"), so
/// <see cref="FolderWalker"/> uses this one on both sides.
/// </summary>
public sealed class Sha256
{
    private readonly Sha256Digest _digest = new();

    /// <summary>Hashes <paramref name="data"/> at once.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The lower-case hex digest (64 characters).</returns>
    public static string HexOf(ReadOnlySpan<byte> data)
    {
        var sha = new Sha256();
        sha.Append(data);
        return sha.FinishHex();
    }

    /// <summary>Adds bytes to the hash.</summary>
    /// <param name="data">The next bytes.</param>
    public void Append(ReadOnlySpan<byte> data) => _digest.BlockUpdate(data);

    /// <summary>Finishes the hash; the instance must not be used afterwards.</summary>
    /// <returns>The lower-case hex digest (64 characters).</returns>
    public string FinishHex()
    {
        Span<byte> hash = stackalloc byte[32];
        _digest.DoFinal(hash);
        return Convert.ToHexStringLower(hash);
    }
}
