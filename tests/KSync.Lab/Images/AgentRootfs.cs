using System.Formats.Tar;
using KSync.TestKit;

namespace KSync.Lab.Images;

/// <summary>
/// The base of the lab's node agent image, in place of distroless (no registry is reachable): a root filesystem with
/// exactly the shared libraries the given binaries load (from <c>ldd</c>, this machine's Debian 12 glibc — what
/// distroless/base-nossl-debian12 ships), <c>/etc/passwd</c> and <c>/etc/group</c> with root and nonroot (65532),
/// and <c>/tmp</c>. No shell, no package manager. Written as a tar for <c>docker import</c>, in about a second,
/// where a debootstrap minbase rootfs takes ~55 s and brings 200 MB the agent never uses.
/// </summary>
internal static class AgentRootfs
{
    /// <summary>Writes the rootfs tar.</summary>
    /// <param name="destination">Receives the uncompressed tar.</param>
    /// <param name="binaries">Executables whose libraries the rootfs must hold.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public static async Task WriteAsync(Stream destination, IEnumerable<string> binaries, CancellationToken cancellationToken)
    {
        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var binary in binaries)
        {
            var ldd = await ProcessRunner.RunAsync("ldd", [binary], cancellationToken: cancellationToken);

            // "not a dynamic executable" (exit 1) needs nothing.
            foreach (var line in ldd.Stdout.Split('\n'))
            {
                var path = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith('/'));
                if (path is not null && File.Exists(path))
                {
                    libraries.Add(path);
                }
            }
        }

        await using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        var directories = new SortedSet<string>(StringComparer.Ordinal) { "etc", "tmp", "usr", "usr/local", "usr/local/bin", "var", "var/lib", "proc", "sys", "dev", "run" };
        foreach (var library in libraries)
        {
            for (var dir = Path.GetDirectoryName(library.TrimStart('/')); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                directories.Add(dir);
            }
        }

        foreach (var dir in directories)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = dir == "tmp" ? (UnixFileMode)0b1_111_111_111 : (UnixFileMode)0b111_101_101 }, cancellationToken);
        }

        foreach (var library in libraries)
        {
            // Copy the file a link resolves to, under the name the loader asks for.
            var real = new FileInfo(library).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? library;
            await using var body = File.OpenRead(real);
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, library.TrimStart('/')) { Mode = (UnixFileMode)0b111_101_101, DataStream = body }, cancellationToken);
        }

        foreach (var (path, content) in new[]
        {
            ("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"),
            ("etc/group", "root:x:0:\nnonroot:x:65532:\n"),
            ("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n"),
        })
        {
            using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, path) { Mode = (UnixFileMode)0b110_100_100, DataStream = data }, cancellationToken);
        }
    }
}
