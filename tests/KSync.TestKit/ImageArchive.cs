using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace KSync.TestKit;

/// <summary>
/// Builds a one-layer image archive in the <c>docker save</c> format (manifest.json, the image config, the layer
/// tar) from <see cref="BusyboxRootfs"/>, for <c>ctr images import</c> or <c>docker load</c> where no registry can
/// be reached. The image's default command is a sleep loop that exits on SIGTERM, so it also serves as a pod
/// sandbox ("pause") image.
/// </summary>
public static class ImageArchive
{
    /// <summary>The image's default command.</summary>
    public static readonly IReadOnlyList<string> DefaultCommand = ["/bin/sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"];

    /// <summary>Writes the archive.</summary>
    /// <param name="destination">Receives the uncompressed tar.</param>
    /// <param name="repoTag">Name and tag, e.g. <c>ksync-test/busybox:latest</c>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the archive is written.</returns>
    public static Task WriteDockerArchiveAsync(Stream destination, string repoTag, CancellationToken cancellationToken = default)
        => WriteDockerArchiveAsync(destination, [repoTag], cancellationToken);

    /// <summary>Writes the archive with several names for the one image.</summary>
    /// <param name="destination">Receives the uncompressed tar.</param>
    /// <param name="repoTags">Names and tags, e.g. <c>busybox:latest</c>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the archive is written.</returns>
    public static async Task WriteDockerArchiveAsync(Stream destination, IReadOnlyList<string> repoTags, CancellationToken cancellationToken = default)
    {
        using var layer = new MemoryStream();
        await BusyboxRootfs.WriteAsync(layer, cancellationToken: cancellationToken);
        var layerHex = Convert.ToHexStringLower(SHA256.HashData(layer.ToArray()));
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        var cmd = string.Join(",", DefaultCommand.Select(Quote));
        var config = Encoding.UTF8.GetBytes(
            $$"""{"architecture":"{{arch}}","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":[{{cmd}}],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:{{layerHex}}"]},"history":[{"created_by":"ksync TestKit"}]}""");
        var configName = Convert.ToHexStringLower(SHA256.HashData(config)) + ".json";
        var manifest = Encoding.UTF8.GetBytes(
            $$"""[{"Config":"{{configName}}","RepoTags":[{{string.Join(",", repoTags.Select(Quote))}}],"Layers":["{{layerHex}}/layer.tar"]}]""");

        await using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, layerHex + "/") { Mode = (UnixFileMode)0b111_101_101 }, cancellationToken);
        layer.Position = 0;
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, layerHex + "/layer.tar") { Mode = (UnixFileMode)0b110_100_100, DataStream = layer }, cancellationToken);
        await WriteFileAsync(tar, configName, config, cancellationToken);
        await WriteFileAsync(tar, "manifest.json", manifest, cancellationToken);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static async Task WriteFileAsync(TarWriter tar, string name, byte[] content, CancellationToken cancellationToken)
    {
        using var data = new MemoryStream(content);
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = data }, cancellationToken);
    }
}
