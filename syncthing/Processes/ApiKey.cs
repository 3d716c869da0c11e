using System.Security.Cryptography;

namespace KSync.Syncthing.Processes;

/// <summary>Random syncthing REST API keys (the <c>X-API-Key</c> header), never a constant.</summary>
public static class ApiKey
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Length of a generated key in characters (about 256 bits of entropy, as long as the keys syncthing makes itself).</summary>
    public const int Length = 43;

    /// <summary>Makes a key from the operating system's cryptographic random number generator.</summary>
    /// <returns>A key of <see cref="Length"/> letters and digits.</returns>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);
}
