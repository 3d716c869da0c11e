namespace KSync.Syncthing.Install;

/// <summary>
/// One archive of an official syncthing release: its file name, SHA-256 (from the release's <c>sha256sum.txt</c>),
/// and the executable inside it. Official layout: one top folder named like the archive without its extension,
/// holding the executable, <c>LICENSE.txt</c>, <c>README.txt</c> and <c>etc/</c>.
/// </summary>
/// <param name="Os">Operating system as syncthing names it: <c>linux</c>, <c>macos</c>, <c>windows</c>.</param>
/// <param name="Arch">Architecture as syncthing names it: <c>amd64</c>, <c>arm64</c>.</param>
/// <param name="FileName">Archive name, e.g. <c>syncthing-linux-amd64-v2.1.3.tar.gz</c>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the archive.</param>
public sealed record SyncthingReleaseAsset(string Os, string Arch, string FileName, string Sha256)
{
    /// <summary>Gets a value indicating whether the archive is a zip (macOS, Windows) rather than a .tar.gz (Linux).</summary>
    public bool IsZip => FileName.EndsWith(".zip", StringComparison.Ordinal);

    /// <summary>Gets the name of the top folder inside the archive.</summary>
    public string TopFolder => FileName.EndsWith(".tar.gz", StringComparison.Ordinal) ? FileName[..^".tar.gz".Length] : Path.GetFileNameWithoutExtension(FileName);

    /// <summary>Gets the executable's name inside the archive: <c>syncthing.exe</c> on Windows, else <c>syncthing</c>.</summary>
    public string ExecutableName => Os == "windows" ? "syncthing.exe" : "syncthing";
}
