namespace KSync.TestKit;

/// <summary>A fresh directory under the system temp folder, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory.</summary>
    /// <param name="prefix">Name prefix, for finding leftovers.</param>
    public TempDirectory(string prefix = "ksync-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>Gets the absolute path.</summary>
    public string Path { get; }

    /// <summary>Combines <paramref name="parts"/> under this directory.</summary>
    /// <param name="parts">Path parts.</param>
    /// <returns>The combined path (not created).</returns>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file (creating parent folders) and returns its path.</summary>
    /// <param name="relativePath">Path under this directory.</param>
    /// <param name="content">Text content.</param>
    /// <returns>The absolute path.</returns>
    public string WriteFile(string relativePath, string content)
    {
        var full = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
