namespace KSync.Syncthing.Processes;

/// <summary>
/// A log file that rotates by size: when it would pass <see cref="MaxBytes"/> it is renamed to <c>.1</c> (older ones
/// shift to <c>.2</c>, … up to <see cref="Keep"/>) and a new one starts. Also keeps the last lines in memory for error
/// messages. Thread-safe.
/// </summary>
internal sealed class RotatingLogFile : IDisposable
{
    private const int TailLines = 40;
    private readonly Lock _gate = new();
    private readonly Queue<string> _tail = new();
    private StreamWriter? _writer;
    private long _length;

    /// <summary>Opens (appends to) the log file.</summary>
    /// <param name="path">The file, e.g. <c>~/.ksync/syncthing.log</c>.</param>
    /// <param name="maxBytes">Size that triggers a rotation; default 10 MB.</param>
    /// <param name="keep">Rotated files kept; default 3.</param>
    public RotatingLogFile(string path, long maxBytes = 10_000_000, int keep = 3)
    {
        FilePath = path;
        MaxBytes = maxBytes;
        Keep = keep;
    }

    /// <summary>Gets the log file's path.</summary>
    public string FilePath { get; }

    /// <summary>Gets the size in bytes that triggers a rotation.</summary>
    public long MaxBytes { get; }

    /// <summary>Gets how many rotated files are kept.</summary>
    public int Keep { get; }

    /// <summary>Appends one line (flushed at once, so a crash keeps it).</summary>
    /// <param name="line">The line, without a line break.</param>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            try
            {
                var writer = _writer ?? Open();
                if (_length + line.Length + 1 > MaxBytes && _length > 0)
                {
                    writer = Rotate();
                }

                writer.WriteLine(line);
                writer.Flush();
                _length += System.Text.Encoding.UTF8.GetByteCount(line) + 1;
            }
            catch (IOException)
            {
                // A full disk must not stop syncthing; the tail still holds the lines.
            }
        }
    }

    /// <summary>Returns the last lines written (at most 40), oldest first.</summary>
    /// <param name="count">How many lines.</param>
    /// <returns>The lines.</returns>
    public IReadOnlyList<string> Tail(int count)
    {
        lock (_gate)
        {
            return [.. _tail.Skip(Math.Max(0, _tail.Count - count))];
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    private StreamWriter Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        _length = stream.Length;
        _writer = new StreamWriter(stream);
        return _writer;
    }

    private StreamWriter Rotate()
    {
        _writer?.Dispose();
        _writer = null;
        for (var i = Keep - 1; i >= 1; i--)
        {
            var from = $"{FilePath}.{i}";
            if (File.Exists(from))
            {
                File.Move(from, $"{FilePath}.{i + 1}", overwrite: true);
            }
        }

        if (Keep > 0)
        {
            File.Move(FilePath, FilePath + ".1", overwrite: true);
        }
        else
        {
            File.Delete(FilePath);
        }

        return Open();
    }
}
