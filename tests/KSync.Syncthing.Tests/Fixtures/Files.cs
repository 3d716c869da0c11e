using KSync.TestKit;

namespace KSync.Syncthing.Tests.Fixtures;

/// <summary>File helpers for sync tests: write, and wait for content or absence on the other side.</summary>
internal static class Files
{
    /// <summary>Default time a change may take to appear: 30 s (the 1 s watcher fallback is far below).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string Write(string folder, string relative, string content)
    {
        var path = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public static Task WaitContentAsync(string folder, string relative, string content, TimeSpan? timeout = null)
    {
        var path = Path.Combine(folder, relative);
        return Eventually.TrueAsync(
            () => Task.FromResult(File.Exists(path) && File.ReadAllText(path) == content),
            timeout ?? Timeout,
            $"{path} to hold '{Short(content)}'");
    }

    public static Task WaitGoneAsync(string folder, string relative, TimeSpan? timeout = null)
    {
        var path = Path.Combine(folder, relative);
        return Eventually.TrueAsync(
            () => Task.FromResult(!File.Exists(path) && !Directory.Exists(path)),
            timeout ?? Timeout,
            $"{path} to be gone");
    }

    public static string[] ConflictCopies(string folder, string relativeName)
    {
        var dir = Path.GetDirectoryName(Path.Combine(folder, relativeName))!;
        var stem = Path.GetFileNameWithoutExtension(relativeName);
        return Directory.Exists(dir) ? Directory.GetFiles(dir, stem + ".sync-conflict-*") : [];
    }

    private static string Short(string content) => content.Length > 40 ? content[..40] + "…" : content;
}
