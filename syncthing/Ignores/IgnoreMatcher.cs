using System.Text;
using System.Text.RegularExpressions;

namespace KSync.Syncthing.Ignores;

/// <summary>
/// Tells whether syncthing ignores a path, from the patterns it applies to a folder (syncthing docs "Ignoring Files";
/// <c>/rest/db/ignores</c>'s lines, <c>#include</c> already expanded): the first matching pattern decides, <c>!</c>
/// re-includes; <c>(?i)</c> matches case-insensitively (<c>(?d)</c> changes nothing here); a leading <c>/</c> anchors
/// at the folder root, otherwise a pattern matches at any depth; a pattern also matches everything below what it
/// matches; <c>*</c> and <c>?</c> stop at <c>/</c>, <c>**</c> does not; <c>[a-z]</c>, <c>[!a]</c>, <c>{a,b}</c> and
/// <c>\</c> escapes as in syncthing's glob library. syncthing's own files (<c>.stfolder</c>, <c>.stignore</c>,
/// <c>.stversions</c> at the root; <c>.syncthing.*.tmp</c> and <c>~syncthing~*.tmp</c> anywhere) are always ignored.
/// A pattern it cannot read is dropped (syncthing reports such a file as an error, so it does not sync either).
/// </summary>
public sealed class IgnoreMatcher
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);
    private readonly List<(Regex Regex, bool Include)> _patterns = [];

    /// <summary>Creates a matcher.</summary>
    /// <param name="lines">The folder's ignore lines (comments and blank lines allowed).</param>
    public IgnoreMatcher(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("#include", StringComparison.Ordinal))
            {
                continue;
            }

            var ignore = true;
            var options = RegexOptions.CultureInvariant;
            while (true)
            {
                if (line.StartsWith('!'))
                {
                    ignore = false;
                    line = line[1..];
                }
                else if (line.StartsWith("(?i)", StringComparison.Ordinal))
                {
                    options |= RegexOptions.IgnoreCase;
                    line = line[4..];
                }
                else if (line.StartsWith("(?d)", StringComparison.Ordinal))
                {
                    line = line[4..];
                }
                else
                {
                    break;
                }
            }

            line = line.TrimEnd('/');
            if (line.Length == 0)
            {
                continue;
            }

            string body;
            if (line.StartsWith('/'))
            {
                body = Glob(line[1..]);
            }
            else if (line.StartsWith("**/", StringComparison.Ordinal))
            {
                body = "(?:.*/)?" + Glob(line[3..]);
            }
            else
            {
                body = "(?:.*/)?" + Glob(line);
            }

            try
            {
                _patterns.Add((new Regex("^" + body + "(?:/.*)?$", options, s_timeout), ignore));
            }
            catch (ArgumentException)
            {
                // Unreadable: syncthing refuses the file; nothing to match.
            }
        }
    }

    /// <summary>Tells whether a path is ignored.</summary>
    /// <param name="relativePath">A path below the folder, <c>/</c>-separated, e.g. <c>src/main.go</c>.</param>
    /// <returns>True when syncthing ignores it.</returns>
    public bool IsIgnored(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        var first = relativePath.Split('/', 2)[0];
        if (first is ".stfolder" or ".stignore" or ".stversions"
            || (name.EndsWith(".tmp", StringComparison.Ordinal) && (name.StartsWith(".syncthing.", StringComparison.Ordinal) || name.StartsWith("~syncthing~", StringComparison.Ordinal))))
        {
            return true;
        }

        foreach (var (regex, include) in _patterns)
        {
            if (regex.IsMatch(relativePath))
            {
                return include;
            }
        }

        return false;
    }

    private static string Glob(string pattern)
    {
        var regex = new StringBuilder();
        var alternatives = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        // "**/" also matches no directory at all.
                        i++;
                        regex.Append("(?:.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = pattern[(i + 1)..end];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                    i = end;
                    break;
                case '{':
                    alternatives++;
                    regex.Append("(?:");
                    break;
                case '}' when alternatives > 0:
                    alternatives--;
                    regex.Append(')');
                    break;
                case ',' when alternatives > 0:
                    regex.Append('|');
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.ToString();
    }
}
