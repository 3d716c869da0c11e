using System.Runtime.InteropServices;

namespace KSync.Syncthing.Install;

/// <summary>
/// The syncthing release <c>kubectl ksync init --local</c> installs, pinned with the SHA-256 of each archive. The values
/// are the ones published in that release's <c>sha256sum.txt</c> (signed as <c>sha256sum.txt.asc</c>); to move the pin,
/// change <see cref="Version"/> and every row together from the new release's file.
/// </summary>
public static class SyncthingRelease
{
    /// <summary>The pinned version, without the leading <c>v</c>.</summary>
    public const string Version = "2.1.3";

    /// <summary>Where official archives are downloaded from: <c>{base}/v{version}/{file}</c>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://github.com/syncthing/syncthing/releases/download/");

    /// <summary>Gets every archive of the pinned release ksync knows the checksum of.</summary>
    public static IReadOnlyList<SyncthingReleaseAsset> Assets { get; } =
    [
        new("linux", "amd64", $"syncthing-linux-amd64-v{Version}.tar.gz", "f929eb8e5b72a85543eeeefb2c38f34a68e0c530e70758a2905b78840c76602c"),
        new("linux", "arm64", $"syncthing-linux-arm64-v{Version}.tar.gz", "a5c046965b590a8de2f8c8c16a0dbf9201d99600b0cafd604040232b603e4586"),
        new("macos", "amd64", $"syncthing-macos-amd64-v{Version}.zip", "207557c0f708578375be9a286d13078cd709bfccae43d61d004913bb512b10aa"),
        new("macos", "arm64", $"syncthing-macos-arm64-v{Version}.zip", "e0f0d8df05bf0118c48c6515214a96bf3a3f11dbd115f56c3c0b52251b3f71aa"),
        new("windows", "amd64", $"syncthing-windows-amd64-v{Version}.zip", "c0b79cffa6ce5dad5ed41ede86454f3325d13ccac33447a528cb59d65fbc3a21"),
        new("windows", "arm64", $"syncthing-windows-arm64-v{Version}.zip", "c8a00ff23ce54ca07c5749e40a72c0515150dfcc57f640832fb7eb5d55184675"),
    ];

    /// <summary>Gets the archive for the machine this runs on.</summary>
    /// <returns>The asset.</returns>
    /// <exception cref="SyncthingException">No archive of the pinned release is known for this OS and architecture.</exception>
    public static SyncthingReleaseAsset ForCurrentMachine()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "macos" : OperatingSystem.IsWindows() ? "windows" : RuntimeInformation.OSDescription;
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return For(os, arch);
    }

    /// <summary>Gets the archive for an OS and architecture.</summary>
    /// <param name="os"><c>linux</c>, <c>macos</c> or <c>windows</c>.</param>
    /// <param name="arch"><c>amd64</c> or <c>arm64</c>.</param>
    /// <returns>The asset.</returns>
    /// <exception cref="SyncthingException">No archive is known for that pair.</exception>
    public static SyncthingReleaseAsset For(string os, string arch)
        => Assets.FirstOrDefault(a => a.Os == os && a.Arch == arch)
           ?? throw new SyncthingException(
               $"ksync has no pinned syncthing {Version} download for {os}/{arch}.",
               "Install syncthing 1.19 or newer with your package manager and put it on PATH, or set KSYNC_SYNCTHING to its path.");

    /// <summary>Gets the download address of <paramref name="asset"/> under <paramref name="baseUrl"/>.</summary>
    /// <param name="baseUrl">Base address; the release folder <c>v{version}/</c> and the file name are appended.</param>
    /// <param name="asset">The archive.</param>
    /// <returns>The absolute URL.</returns>
    public static Uri DownloadUrl(Uri baseUrl, SyncthingReleaseAsset asset)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(asset);
        var text = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl.AbsoluteUri : baseUrl.AbsoluteUri + "/";
        return new Uri(new Uri(text), $"v{Version}/{asset.FileName}");
    }
}
