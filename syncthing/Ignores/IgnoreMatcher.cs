using System.Text;
using System.Text.RegularExpressions;

namespace KSync.Syncthing.Ignores;

/// <summary>
/// Decides which paths of a folder syncthing ignores, from the folder's ignore lines (syncthing docs "Ignoring Files"),
/// for the seed (which local entries to stream) and <c>kubectl ksync wait --verify</c>, which walk folders themselves.
/// The rules as syncthing applies them:
/// <list type="bullet">
/// <item>Blank lines, <c>//</c> comments and directives (<c>#include</c>, <c>#escape</c>) add no pattern; the caller
/// passes the expanded patterns when the folder uses <c>#include</c>.</item>
/// <item>Prefixes <c>!</c> (re-include), <c>(?i)</c> (case-insensitive) and <c>(?d)</c> (deletable) in any order.</item>
/// <item>A leading <c>/</c> anchors at the folder root; a pattern without it matches at any depth; every pattern also
/// matches everything below a directory it matches.</item>
/// <item><c>**</c> matches across <c>/</c>, <c>*</c> and <c>?</c> do not; <c>[a-z]</c>, <c>[!a]</c>, <c>{a,b}</c>, <c>\x</c>.</item>
/// <item>The first matching pattern decides.</item>
/// </list>
/// Besides the patterns, syncthing's own files are never part of a folder: <c>.stfolder</c>, <c>.stignore</c> and
/// <c>.stversions</c> at the root, and its temporary files (<c>.syncthing.*.tmp</c>, <c>~syncthing~*.tmp</c>) anywhere.
/// </summary>
public sealed class IgnoreMatcher
{
    private static readonly string[] s_internal = [".stfolder", ".stignore", ".stversions"];
    private readonly List<(Regex Match, bool Include)> _patterns = [];

    /// <summary>Creates a matcher.</summary>
    /// <param name="lines">The folder's ignore lines (<c>.stignore</c> as syncthing reads it, includes expanded).</param>
    /// <exception cref="ArgumentException">A pattern is not valid (an unclosed <c>[</c> or <c>{</c>).</exception>
    public IgnoreMatcher(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var raw in lines)
        {
            Add(raw.TrimEnd('\r'));
        }
    }

    /// <summary>Gets a value indicating whether some pattern re-includes (<c>!</c>): then a walk must look inside ignored directories.</summary>
    public bool HasNegations { get; private set; }

    /// <summary>Tells whether syncthing leaves a path out of the folder.</summary>
    /// <param name="relativePath">The path relative to the folder root, with <c>/</c> separators, no leading <c>/</c>.</param>
    /// <returns>True when ignored or one of syncthing's own files.</returns>
    public bool IsIgnored(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (IsInternal(relativePath))
        {
            return true;
        }

        foreach (var (match, include) in _patterns)
        {
            if (match.IsMatch(relativePath))
            {
                return !include;
            }
        }

        return false;
    }

    /// <summary>Tells whether a path is one of syncthing's own files.</summary>
    /// <param name="relativePath">The path relative to the folder root, with <c>/</c> separators.</param>
    /// <returns>True for the root's <c>.stfolder</c>, <c>.stignore</c>, <c>.stversions</c> (and below) and temporary files.</returns>
    public static bool IsInternal(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        foreach (var name in s_internal)
        {
            if (relativePath == name || relativePath.StartsWith(name + "/", StringComparison.Ordinal))
            {
                return true;
            }
        }

        var slash = relativePath.LastIndexOf('/');
        var leaf = slash < 0 ? relativePath : relativePath[(slash + 1)..];
        return leaf.EndsWith(".tmp", StringComparison.Ordinal)
            && (leaf.StartsWith(".syncthing.", StringComparison.Ordinal) || leaf.StartsWith("~syncthing~", StringComparison.Ordinal));
    }

    private void Add(string line)
    {
        if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith('#'))
        {
            return;
        }

        var include = false;
        var foldCase = false;
        while (true)
        {
            if (line.StartsWith('!') && !include)
            {
                include = true;
                line = line[1..];
            }
            else if (line.StartsWith("(?i)", StringComparison.Ordinal) && !foldCase)
            {
                foldCase = true;
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

        if (line.Length == 0)
        {
            return;
        }

        HasNegations |= include;
        var options = RegexOptions.CultureInvariant | RegexOptions.Singleline | (foldCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        string body;
        if (line.StartsWith('/'))
        {
            // Rooted: the path itself or anything below it.
            body = Translate(line[1..]);
        }
        else if (line.StartsWith("**/", StringComparison.Ordinal))
        {
            body = Translate(line);
        }
        else
        {
            // Any depth: at the root or after some directory.
            body = "(?:.*/)?(?:" + Translate(line) + ")";
        }

        _patterns.Add((new Regex("^(?:" + body + ")(?:/.*)?$", options), include));
    }

    /// <summary>Turns one glob into a regular expression body.</summary>
    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        var braces = 0;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    regex.Append(".*");
                    i++;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < glob.Length:
                    regex.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        throw new ArgumentException($"Unclosed '[' in ignore pattern '{glob}'.", nameof(glob));
                    }

                    var set = glob[(i + 1)..close];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + Escape(set[1..]) : Escape(set)).Append(']');
                    i = close;
                    break;
                case '{':
                    braces++;
                    regex.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    regex.Append(')');
                    break;
                case ',' when braces > 0:
                    regex.Append('|');
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return braces == 0 ? regex.ToString() : throw new ArgumentException($"Unclosed '{{' in ignore pattern '{glob}'.", nameof(glob));

        static string Escape(string set) => set.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal).Replace("^", "\\^", StringComparison.Ordinal);
    }
}
