using System.Text.RegularExpressions;

namespace KSync.Lab.Api;

/// <summary>
/// The lab's own evaluation of the <c>labelSelector</c> query parameter (Kubernetes docs: "Labels and Selectors",
/// set-based and equality-based requirements), independent of the plugin's code so a selector bug in the plugin
/// cannot pass its own test: comma-separated requirements <c>key</c>, <c>!key</c>, <c>key=v</c>, <c>key==v</c>,
/// <c>key!=v</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>; all must hold.
/// </summary>
internal sealed partial class Selector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private Selector(List<Func<IReadOnlyDictionary<string, string>, bool>> requirements)
    {
        _requirements = requirements;
    }

    /// <summary>Parses a selector.</summary>
    /// <param name="text">The selector text; empty matches everything.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="ApiException">400 when it does not parse.</exception>
    public static Selector Parse(string text)
    {
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0)
            {
                throw Invalid(text, "empty requirement");
            }

            Match m;
            if ((m = SetRequirement().Match(p)).Success)
            {
                var key = Key(text, m.Groups["key"].Value);
                var values = m.Groups["values"].Value.Split(',').Select(v => Value(text, v.Trim())).ToHashSet(StringComparer.Ordinal);
                var notIn = m.Groups["op"].Value == "notin";
                requirements.Add(labels => labels.TryGetValue(key, out var v) ? values.Contains(v) != notIn : notIn);
            }
            else if ((m = Equality().Match(p)).Success)
            {
                var key = Key(text, m.Groups["key"].Value);
                var value = Value(text, m.Groups["value"].Value.Trim());
                var notEqual = m.Groups["op"].Value == "!=";
                requirements.Add(labels => labels.TryGetValue(key, out var v) ? (v == value) != notEqual : notEqual);
            }
            else if (p.StartsWith('!'))
            {
                var key = Key(text, p[1..].Trim());
                requirements.Add(labels => !labels.ContainsKey(key));
            }
            else
            {
                var key = Key(text, p);
                requirements.Add(labels => labels.ContainsKey(key));
            }
        }

        return new Selector(requirements);
    }

    /// <summary>Whether the labels satisfy every requirement.</summary>
    /// <param name="labels">An object's labels.</param>
    /// <returns>True when they match.</returns>
    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static string Key(string text, string key)
    {
        var name = key.Contains('/', StringComparison.Ordinal) ? key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..] : key;
        var prefix = key.Contains('/', StringComparison.Ordinal) ? key[..key.IndexOf('/', StringComparison.Ordinal)] : null;
        if (!NamePart().IsMatch(name) || name.Length > 63 || (prefix is not null && (prefix.Length > 253 || !Names.IsDnsSubdomain(prefix))))
        {
            throw Invalid(text, $"invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return key;
    }

    private static string Value(string text, string value)
        => value.Length == 0 || (value.Length <= 63 && NamePart().IsMatch(value))
            ? value
            : throw Invalid(text, $"invalid label value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");

    private static ApiException Invalid(string text, string why) => ApiException.BadRequest($"unable to parse requirement: {why} (selector \"{text}\")");

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^(?<key>[^\s!=(),]+)\s*(?<op>==|!=|=)\s*(?<value>[^\s!=(),]*)$")]
    private static partial Regex Equality();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex NamePart();
}
