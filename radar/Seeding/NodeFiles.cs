using System.Runtime.InteropServices;
using KSync.Proto.Radar.V1;

namespace KSync.Radar.Seeding;

/// <summary>
/// What .NET does not offer for a seed: <c>statx(2)</c> without following links (with nanosecond mtimes) and
/// <c>utimensat(2)</c> (nanosecond mtimes; <see cref="File.SetLastWriteTimeUtc(string, DateTime)"/> keeps only 100 ns).
/// </summary>
internal static partial class NodeFiles
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int StatxSize = 256;

    /// <summary>utimensat's "leave this time as it is" (UTIME_OMIT).</summary>
    private const long UtimeOmit = (1L << 30) - 2;

    /// <summary>Reads an entry without following a link.</summary>
    /// <param name="path">A node path.</param>
    /// <returns>The entry, or null when nothing is there.</returns>
    /// <exception cref="IOException">statx failed otherwise (the message names errno).</exception>
    public static NodeEntry? Lstat(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();

            // ENOENT and ENOTDIR: nothing there.
            return errno is 2 or 20 ? null : throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // struct statx (linux/stat.h): uid at 20, gid at 24, mode at 28 (u16), size at 40 (u64), mtime at 112 (i64 s, u32 ns).
        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => SeedEntryKind.File,
            0x4000 => SeedEntryKind.Directory,
            0xA000 => SeedEntryKind.Symlink,
            _ => SeedEntryKind.Unspecified,
        };
        return new NodeEntry(
            kind,
            (uint)(mode & 0x1FF),
            MemoryMarshal.Read<ulong>(buffer[40..]),
            MemoryMarshal.Read<long>(buffer[112..]),
            MemoryMarshal.Read<uint>(buffer[120..]),
            kind == SeedEntryKind.Symlink ? new FileInfo(path).LinkTarget : null,
            MemoryMarshal.Read<uint>(buffer[20..]),
            MemoryMarshal.Read<uint>(buffer[24..]));
    }

    /// <summary>Sets a file's mtime to the nanosecond, leaving its atime; a link is not followed.</summary>
    /// <param name="path">A node path.</param>
    /// <param name="seconds">Seconds since the epoch.</param>
    /// <param name="nanos">Nanoseconds (0-999,999,999).</param>
    /// <exception cref="IOException">utimensat failed (the message names errno).</exception>
    public static void SetMtime(string path, long seconds, uint nanos)
    {
        // struct timespec[2] on 64-bit Linux: { tv_sec, tv_nsec } as two longs each; [0] atime, [1] mtime.
        Span<long> times = [0, UtimeOmit, seconds, nanos];
        if (Utimensat(AtFdCwd, path, ref MemoryMarshal.GetReference(times), AtSymlinkNoFollow) != 0)
        {
            throw new IOException($"utimensat {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Utimensat(int dirfd, string path, ref long times, int flags);
}
