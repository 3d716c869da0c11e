using System.Globalization;
using System.Runtime.InteropServices;

namespace KSync.Plugin.Processes;

/// <summary>
/// What tells one version of a file from another without reading it: the real path (links followed), device, inode,
/// size, and modification and status-change times in nanoseconds. A binary replaced by a package manager (a new file
/// renamed into place, often with the package's own mtime) has a new inode and ctime; one rewritten in place has a
/// new ctime. Read with statx(2) (glibc 2.28+); where that is missing (an older libc) device, inode and ctime are 0
/// and size and mtime come from .NET.
/// </summary>
/// <param name="Path">The real path, symbolic links resolved.</param>
/// <param name="Device">The device, <c>major:minor</c>, or empty without statx.</param>
/// <param name="Inode">The inode number, 0 without statx.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ModifiedNanoseconds">st_mtime in nanoseconds since the Unix epoch.</param>
/// <param name="ChangedNanoseconds">st_ctime in nanoseconds since the Unix epoch, 0 without statx.</param>
internal sealed partial record FileStamp(string Path, string Device, ulong Inode, long Size, long ModifiedNanoseconds, long ChangedNanoseconds)
{
    // <fcntl.h> and <linux/stat.h>, the same on every Linux architecture.
    private const int AtCurrentDirectory = -100;
    private const uint BasicStats = 0x7ff;

    // struct statx is 256 bytes; offsets of the fields read (linux/stat.h).
    private const int StatxBytes = 256;
    private const int InodeOffset = 32;
    private const int SizeOffset = 40;
    private const int ChangedOffset = 96;
    private const int ModifiedOffset = 112;
    private const int DeviceMajorOffset = 136;
    private const int DeviceMinorOffset = 140;

    private static bool s_noStatx;

    /// <summary>Reads the stamp of <paramref name="path"/>.</summary>
    /// <param name="path">A file; symbolic links are followed.</param>
    /// <returns>The stamp, or null when the file does not exist or cannot be read.</returns>
    public static FileStamp? Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string real;
        try
        {
            real = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && !s_noStatx)
        {
            try
            {
                return ReadStatx(real);
            }
            catch (EntryPointNotFoundException)
            {
                s_noStatx = true;
            }
        }

        var info = new FileInfo(real);
        if (!info.Exists)
        {
            return null;
        }

        var modified = (info.LastWriteTimeUtc - DateTime.UnixEpoch).Ticks * 100;
        return new FileStamp(real, string.Empty, 0, info.Length, modified, 0);
    }

    private static unsafe FileStamp? ReadStatx(string path)
    {
        var buffer = stackalloc byte[StatxBytes];
        if (Statx(AtCurrentDirectory, path, 0, BasicStats, buffer) != 0)
        {
            return null;
        }

        var bytes = new ReadOnlySpan<byte>(buffer, StatxBytes);
        return new FileStamp(
            path,
            string.Create(CultureInfo.InvariantCulture, $"{MemoryMarshal.Read<uint>(bytes[DeviceMajorOffset..])}:{MemoryMarshal.Read<uint>(bytes[DeviceMinorOffset..])}"),
            MemoryMarshal.Read<ulong>(bytes[InodeOffset..]),
            MemoryMarshal.Read<long>(bytes[SizeOffset..]),
            Nanoseconds(bytes[ModifiedOffset..]),
            Nanoseconds(bytes[ChangedOffset..]));
    }

    // struct statx_timestamp: tv_sec (s64), tv_nsec (u32), reserved (s32). Native byte order.
    private static long Nanoseconds(ReadOnlySpan<byte> timestamp)
        => (MemoryMarshal.Read<long>(timestamp) * 1_000_000_000L) + MemoryMarshal.Read<uint>(timestamp[8..]);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
