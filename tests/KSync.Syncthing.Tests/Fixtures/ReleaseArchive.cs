using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace KSync.Syncthing.Tests.Fixtures;

/// <summary>
/// Builds archives in the official syncthing release layout (one top folder named like the archive, holding the
/// executable, LICENSE.txt, README.txt, AUTHORS.txt and etc/) around a real executable (Debian's syncthing).
/// </summary>
internal static class ReleaseArchive
{
    public static byte[] TarGz(string topFolder, string executablePath)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, topFolder + "/"));
            foreach (var (name, content) in Extras())
            {
                using var data = new MemoryStream(Encoding.UTF8.GetBytes(content));
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{topFolder}/{name}") { DataStream = data });
            }

            using var binary = File.OpenRead(executablePath);
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{topFolder}/syncthing") { DataStream = binary, Mode = (UnixFileMode)0b111_101_101 });
        }

        return output.ToArray();
    }

    public static byte[] Zip(string topFolder, string executablePath, string executableName = "syncthing")
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in Extras())
            {
                using var writer = new StreamWriter(zip.CreateEntry($"{topFolder}/{name}").Open());
                writer.Write(content);
            }

            using var entry = zip.CreateEntry($"{topFolder}/{executableName}", CompressionLevel.Fastest).Open();
            using var binary = File.OpenRead(executablePath);
            binary.CopyTo(entry);
        }

        return output.ToArray();
    }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static IEnumerable<(string Name, string Content)> Extras() =>
    [
        ("LICENSE.txt", "Mozilla Public License Version 2.0\n"),
        ("README.txt", "Syncthing\n=========\n"),
        ("AUTHORS.txt", "The Syncthing Authors\n"),
        ("etc/linux-systemd/user/syncthing.service", "[Unit]\nDescription=Syncthing\n"),
        ("extra/syncthing.1", ".TH SYNCTHING 1\n"),
    ];
}
