using System.Formats.Tar;

namespace KSync.TestKit;

/// <summary>
/// A minimal root filesystem as a tar stream: the static busybox (Debian <c>busybox-static</c>) with its applets
/// linked into <c>/bin</c>, plus <c>/etc/passwd</c>, <c>/tmp</c> and <c>/app</c>. Enough for container images
/// built without a registry (<c>docker import</c>, <c>ctr images import</c>).
/// </summary>
public static class BusyboxRootfs
{
    /// <summary>Where Debian's busybox-static installs the binary.</summary>
    public const string BusyboxPath = "/bin/busybox";

    /// <summary>Writes the rootfs tar to <paramref name="destination"/>.</summary>
    /// <param name="destination">Stream that receives an uncompressed tar.</param>
    /// <param name="extraFiles">Additional files: path inside the image → content.</param>
    /// <param name="cancellationToken">Cancels listing the applets.</param>
    /// <returns>A task that completes when the tar is written.</returns>
    public static async Task WriteAsync(Stream destination, IReadOnlyDictionary<string, string>? extraFiles = null, CancellationToken cancellationToken = default)
    {
        var busybox = Requires.Tool(BusyboxPath, "busybox-static");
        var applets = await ProcessRunner.RunAsync(busybox, ["--list"], cancellationToken: cancellationToken);
        applets.EnsureSuccess();

        await using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var dir in new[] { "bin", "etc", "tmp", "app", "proc", "sys", "dev", "root", "var", "var/run" })
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = dir == "tmp" ? (UnixFileMode)0b1_111_111_111 : DefaultDirMode }, cancellationToken);
        }

        await using (var body = File.OpenRead(busybox))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = ExecMode, DataStream = body }, cancellationToken);
        }

        foreach (var applet in applets.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet == "busybox")
            {
                continue;
            }

            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" }, cancellationToken);
        }

        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["etc/passwd"] = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n",
            ["etc/group"] = "root:x:0:\nnogroup:x:65534:\n",
        };
        foreach (var (path, content) in extraFiles ?? new Dictionary<string, string>())
        {
            files[path.TrimStart('/')] = content;
        }

        foreach (var (path, content) in files)
        {
            using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path) { Mode = FileMode, DataStream = data }, cancellationToken);
        }
    }

    private static UnixFileMode DefaultDirMode => (UnixFileMode)0b111_101_101;

    private static UnixFileMode ExecMode => (UnixFileMode)0b111_101_101;

    private static UnixFileMode FileMode => (UnixFileMode)0b110_100_100;
}
