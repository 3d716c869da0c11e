using System.Diagnostics;
using System.Globalization;

namespace KSync.Syncthing.Install;

/// <summary>
/// A one-line progress bar for a download, redrawn in place with a carriage return on the error writer (stderr), at
/// most every 100 ms: <c>syncthing-linux-amd64-v2.1.3.tar.gz [#########           ]  45%  5.1/11.3 MB</c>.
/// Without a known total size it shows the bytes received so far.
/// </summary>
internal sealed class DownloadProgressBar
{
    private const int Width = 30;
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _writer;
    private readonly string _label;
    private readonly Stopwatch _sinceDraw = new();
    private bool _drawn;

    /// <summary>Creates the bar; nothing is drawn until the first <see cref="Report"/>.</summary>
    /// <param name="writer">Where to draw (stderr).</param>
    /// <param name="label">What is downloaded, shown before the bar.</param>
    public DownloadProgressBar(TextWriter writer, string label)
    {
        _writer = writer;
        _label = label;
    }

    /// <summary>Redraws the bar when 100 ms passed since the last draw, or when the download is complete.</summary>
    /// <param name="receivedBytes">Bytes received so far.</param>
    /// <param name="totalBytes">Size of the download in bytes, or null when unknown.</param>
    public void Report(long receivedBytes, long? totalBytes)
    {
        var complete = totalBytes is long t && receivedBytes >= t;
        if (_drawn && !complete && _sinceDraw.Elapsed < s_interval)
        {
            return;
        }

        _sinceDraw.Restart();
        _drawn = true;
        _writer.Write('\r');
        _writer.Write(Render(_label, receivedBytes, totalBytes));
        _writer.Flush();
    }

    /// <summary>Ends the line the bar was drawn on (call once, success or not).</summary>
    public void Finish()
    {
        if (_drawn)
        {
            _writer.WriteLine();
            _writer.Flush();
            _drawn = false;
        }
    }

    /// <summary>Renders one state of the bar.</summary>
    /// <param name="label">What is downloaded.</param>
    /// <param name="receivedBytes">Bytes received.</param>
    /// <param name="totalBytes">Total bytes, or null when unknown.</param>
    /// <returns>The line, without a line break.</returns>
    public static string Render(string label, long receivedBytes, long? totalBytes)
    {
        if (totalBytes is not long total || total <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{label} {Megabytes(receivedBytes)} MB");
        }

        var fraction = Math.Clamp((double)receivedBytes / total, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        var bar = new string('#', filled) + new string(' ', Width - filled);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{label} [{bar}] {fraction * 100,3:0}%  {Megabytes(receivedBytes)}/{Megabytes(total)} MB");
    }

    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture);
}
