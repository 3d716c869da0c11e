using System.Runtime.InteropServices;

namespace KSync.Engine.Seeding;

/// <summary>
/// <c>statx(2)</c> of a local path without following a link: .NET's file times keep only 100 ns, and syncthing compares
/// mtimes to the nanosecond, so a seeded file must get the very mtime the local syncthing records.
/// </summary>
internal static partial class LocalStat
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;

    /// <summary>Reads an entry.</summary>
    /// <param name="path">A local path.</param>
    /// <returns>Type bits (<c>S_IFMT</c> of the mode), permission bits, size, mtime; null when it is gone.</returns>
    /// <exception cref="IOException">statx failed otherwise.</exception>
    public static (int Type, UnixFileMode Mode, long Size, long MtimeSeconds, uint MtimeNanos)? Lstat(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 ? null : throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // struct statx (linux/stat.h): mode at 28 (u16), size at 40 (u64), mtime at 112 (i64 seconds, u32 nanoseconds).
        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        return (mode & 0xF000, (UnixFileMode)(mode & 0x1FF), (long)MemoryMarshal.Read<ulong>(buffer[40..]), MemoryMarshal.Read<long>(buffer[112..]), MemoryMarshal.Read<uint>(buffer[120..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
