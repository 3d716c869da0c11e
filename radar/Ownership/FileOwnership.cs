using System.Runtime.InteropServices;

namespace KSync.Radar.Ownership;

/// <summary>
/// Owners of files on the node: <c>statx(2)</c> (the one stat structure that is the same on every architecture) and
/// <c>lchown(2)</c>, neither of which .NET offers. Links are never followed: a path radar resolved is real.
/// </summary>
internal static partial class FileOwnership
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    /// <summary>Size of <c>struct statx</c> (linux/stat.h): 256 bytes.</summary>
    private const int StatxSize = 256;

    /// <summary>Reads a directory's owner and mode.</summary>
    /// <param name="path">A node path.</param>
    /// <returns>The facts, or null when nothing is there or it is not a directory.</returns>
    /// <exception cref="IOException">statx failed for another reason than a missing path (the message names errno).</exception>
    public static DirectoryFacts? TryStatDirectory(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxMode | StatxUid | StatxGid, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();

            // ENOENT and ENOTDIR: nothing there (yet).
            return errno is 2 or 20 ? null : throw new IOException($"statx {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // struct statx: stx_uid at 20, stx_gid at 24 (u32), stx_mode at 28 (u16), little or big endian as the machine is.
        var uid = MemoryMarshal.Read<uint>(buffer[20..]);
        var gid = MemoryMarshal.Read<uint>(buffer[24..]);
        var mode = MemoryMarshal.Read<ushort>(buffer[28..]);
        const int directoryType = 0x4000;
        return (mode & 0xF000) == directoryType ? new DirectoryFacts(new FileOwner(uid, gid), (UnixFileMode)(mode & 0xFFF)) : null;
    }

    /// <summary>Changes an owner without following a link.</summary>
    /// <param name="path">A node path.</param>
    /// <param name="owner">The new owner.</param>
    /// <returns>Null when done, else errno's text (EPERM where the node may not chown — root-squashed NFS, some CSI volumes —, EROFS on read-only storage).</returns>
    public static string? TryChown(string path, FileOwner owner) =>
        Lchown(path, owner.Uid, owner.Gid) == 0 ? null : Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, uint owner, uint group);
}
