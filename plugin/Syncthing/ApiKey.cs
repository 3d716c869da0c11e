using System.Security.Cryptography;

namespace KSync.Plugin.Syncthing;

/// <summary>Random syncthing REST API keys (the <c>X-API-Key</c> header), never a constant.</summary>
internal static class ApiKey
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Length of a generated key in characters (about 190 bits of entropy).</summary>
    public const int Length = 32;

    /// <summary>Makes a key from the operating system's cryptographic random number generator.</summary>
    /// <returns>A key of <see cref="Length"/> letters and digits.</returns>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);
}
