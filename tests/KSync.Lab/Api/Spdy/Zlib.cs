using System.Runtime.InteropServices;

namespace KSync.Lab.Api.Spdy;

/// <summary>
/// The machine's zlib (<c>libz.so.1</c>, Debian's zlib1g), for what .NET's ZLibStream cannot do: a preset dictionary
/// (<c>deflateSetDictionary</c>/<c>inflateSetDictionary</c>, zlib manual, "Advanced functions") and one stream that
/// lives across many header blocks, each ended by a sync flush. Layout and constants are zlib.h's for LP64 Linux.
/// </summary>
internal static unsafe partial class Zlib
{
    /// <summary>Z_OK.</summary>
    public const int Ok = 0;

    /// <summary>Z_NEED_DICT: inflate met a stream compressed with a preset dictionary.</summary>
    public const int NeedDictionary = 2;

    /// <summary>Z_BUF_ERROR: no progress possible (not fatal).</summary>
    public const int BufferError = -5;

    /// <summary>Z_SYNC_FLUSH: emit everything so far and align on a byte boundary (an empty stored block).</summary>
    public const int SyncFlush = 2;

    private const string Library = "libz.so.1";

    /// <summary>Allocates a zeroed <c>z_stream</c> in native memory (zlib keeps pointers to it: it must not move).</summary>
    /// <returns>The stream; free it with <see cref="NativeMemory.Free(void*)"/> after its End call.</returns>
    public static ZStream* Allocate() => (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));

    /// <summary>deflateInit_.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="level">0–9.</param>
    /// <returns>Z_OK or an error code.</returns>
    public static int DeflateInit(ZStream* stream, int level) => DeflateInitNative(stream, level, Version(), sizeof(ZStream));

    /// <summary>inflateInit_.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>Z_OK or an error code.</returns>
    public static int InflateInit(ZStream* stream) => InflateInitNative(stream, Version(), sizeof(ZStream));

    /// <summary>deflate.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="flush">Flush mode.</param>
    /// <returns>Z_OK, Z_BUF_ERROR or an error code.</returns>
    [LibraryImport(Library, EntryPoint = "deflate")]
    public static partial int Deflate(ZStream* stream, int flush);

    /// <summary>deflateSetDictionary: call after init, before the first deflate.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="dictionary">The dictionary.</param>
    /// <param name="length">Its length in bytes.</param>
    /// <returns>Z_OK or an error code.</returns>
    [LibraryImport(Library, EntryPoint = "deflateSetDictionary")]
    public static partial int DeflateSetDictionary(ZStream* stream, byte* dictionary, uint length);

    /// <summary>deflateEnd.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>Z_OK or an error code.</returns>
    [LibraryImport(Library, EntryPoint = "deflateEnd")]
    public static partial int DeflateEnd(ZStream* stream);

    /// <summary>inflate.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="flush">Flush mode.</param>
    /// <returns>Z_OK, Z_NEED_DICT, Z_BUF_ERROR or an error code.</returns>
    [LibraryImport(Library, EntryPoint = "inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    /// <summary>inflateSetDictionary: call when inflate returned Z_NEED_DICT.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="dictionary">The dictionary.</param>
    /// <param name="length">Its length in bytes.</param>
    /// <returns>Z_OK, or Z_DATA_ERROR when its Adler-32 is not the one the stream names.</returns>
    [LibraryImport(Library, EntryPoint = "inflateSetDictionary")]
    public static partial int InflateSetDictionary(ZStream* stream, byte* dictionary, uint length);

    /// <summary>inflateEnd.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>Z_OK or an error code.</returns>
    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    /// <summary>The message zlib left in the stream, or the code.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="code">The return code.</param>
    /// <returns>Text for an exception.</returns>
    public static string Describe(ZStream* stream, int code)
        => stream->Message == IntPtr.Zero ? $"zlib error {code}" : $"zlib error {code}: {Marshal.PtrToStringUTF8(stream->Message)}";

    [LibraryImport(Library, EntryPoint = "zlibVersion")]
    private static partial byte* Version();

    [LibraryImport(Library, EntryPoint = "deflateInit_")]
    private static partial int DeflateInitNative(ZStream* stream, int level, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflateInit_")]
    private static partial int InflateInitNative(ZStream* stream, byte* version, int streamSize);

    /// <summary>zlib.h's <c>z_stream</c> (uInt = 32 bits, uLong and pointers = 64 bits).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        /// <summary>next_in.</summary>
        public byte* NextIn;

        /// <summary>avail_in.</summary>
        public uint AvailableIn;

        /// <summary>total_in.</summary>
        public nuint TotalIn;

        /// <summary>next_out.</summary>
        public byte* NextOut;

        /// <summary>avail_out.</summary>
        public uint AvailableOut;

        /// <summary>total_out.</summary>
        public nuint TotalOut;

        /// <summary>msg.</summary>
        public IntPtr Message;

        /// <summary>state.</summary>
        public IntPtr State;

        /// <summary>zalloc (null: zlib's default).</summary>
        public IntPtr Allocate;

        /// <summary>zfree.</summary>
        public IntPtr Free;

        /// <summary>opaque.</summary>
        public IntPtr Opaque;

        /// <summary>data_type.</summary>
        public int DataType;

        /// <summary>adler.</summary>
        public nuint Adler;

        /// <summary>reserved.</summary>
        public nuint Reserved;
    }
}
