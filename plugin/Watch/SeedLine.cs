using System.Globalization;
using KSync.Plugin.Output;

namespace KSync.Plugin.Watch;

/// <summary>
/// watch's progress line on a terminal for first-sync seeds that take longer than <see cref="ShowAfter"/>
/// (docs/architecture.md, "The seed"): one line for all running seeds, rewritten in place. The line is written with the
/// cursor left at its start, so a log line that comes meanwhile overwrites it and the next update appears below.
/// Fed the running seeds on every tick; not thread-safe (one reporter loop).
/// </summary>
internal sealed class SeedLine
{
    /// <summary>How long a seed runs before it gets a line: shorter ones pass without flicker.</summary>
    public static readonly TimeSpan ShowAfter = TimeSpan.FromSeconds(1);

    /// <summary>Goes to the line's start and clears it (ANSI: carriage return, erase to end of line).</summary>
    public const string Clear = "\r\u001b[K";

    private readonly Dictionary<string, DateTimeOffset> _since = new(StringComparer.Ordinal);
    private string _shown = string.Empty;

    /// <summary>Takes in the running seeds and tells what to write.</summary>
    /// <param name="seeds">Each running seed by a name for the user ("spec pod"), in a stable order.</param>
    /// <param name="now">The time now.</param>
    /// <param name="width">The terminal's width in columns (the line is cut to one column less), or 0 when unknown.</param>
    /// <returns>The text to write as is (no newline), or null when the terminal already shows the right thing.</returns>
    public string? Next(IReadOnlyList<(string Name, SeedView Seed)> seeds, DateTimeOffset now, int width)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        foreach (var gone in _since.Keys.Where(k => !seeds.Any(s => s.Name == k)).ToList())
        {
            _since.Remove(gone);
        }

        var parts = new List<string>();
        foreach (var (name, seed) in seeds)
        {
            if (!_since.TryGetValue(name, out var since))
            {
                _since[name] = since = now;
            }

            if (now - since >= ShowAfter)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {SeedText.Compact(seed)} ({(now - since).TotalSeconds:0} s)"));
            }
        }

        var line = string.Join("; ", parts);
        if (width > 1 && line.Length > width - 1)
        {
            line = line[..(width - 1)];
        }

        if (line == _shown)
        {
            return null;
        }

        _shown = line;
        return line.Length == 0 ? Clear : Clear + line + "\r";
    }
}
