using System.Text;

namespace KSync.Config.Store;

/// <summary>
/// Replaces a file's content atomically: the bytes go to a temp file in the same folder, are flushed to disk (fsync),
/// and the temp file is renamed over the target, so a reader or a crash sees the old content or the new, never a mix.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file to replace or create; its folder must exist.</param>
    /// <param name="text">The new content.</param>
    /// <exception cref="IOException">The folder is missing or not writable.</exception>
    public static void Write(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // Keep the user's mode on an existing file; a new one is private to the user.
                var mode = File.Exists(path) ? File.GetUnixFileMode(path) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
                File.SetUnixFileMode(temp, mode);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
