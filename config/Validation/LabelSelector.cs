using System.Text.RegularExpressions;

namespace KSync.Config.Validation;

/// <summary>
/// A Kubernetes label selector in its text form, parsed and validated the way the API server does
/// (Kubernetes docs: "Labels and Selectors" — equality-based <c>=</c>, <c>==</c>, <c>!=</c> and set-based
/// <c>in</c>, <c>notin</c>, <c>key</c>, <c>!key</c>; requirements separated by commas are ANDed).
/// Several expressions (repeated <c>-l</c> flags, the <c>selector:</c> list of a spec) are ANDed too.
/// </summary>
public sealed partial class LabelSelector
{
    private LabelSelector(IReadOnlyList<LabelRequirement> requirements)
    {
        Requirements = requirements;
    }

    /// <summary>Gets the requirements, all of which must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>Gets a value indicating whether the selector has no requirement (matches every pod).</summary>
    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>Parses one or more selector expressions.</summary>
    /// <param name="expressions">Expressions such as <c>app=api</c> or <c>app=api,tier in (web)</c>.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="FormatException">An expression is malformed; the message names it and what is wrong.</exception>
    public static LabelSelector Parse(IEnumerable<string> expressions)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        var requirements = new List<LabelRequirement>();
        foreach (var expression in expressions)
        {
            if (string.IsNullOrWhiteSpace(expression))
            {
                throw new FormatException("A label selector must not be empty.");
            }

            foreach (var part in SplitRequirements(expression))
            {
                requirements.Add(ParseRequirement(part.Trim(), expression));
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    /// <param name="expressions">Selector expressions.</param>
    /// <param name="selector">The selector when valid.</param>
    /// <param name="error">What is wrong when not.</param>
    /// <returns>True when every expression is valid.</returns>
    public static bool TryParse(IEnumerable<string> expressions, out LabelSelector? selector, out string? error)
    {
        try
        {
            selector = Parse(expressions);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            selector = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Whether a pod with <paramref name="labels"/> matches every requirement.</summary>
    /// <param name="labels">The pod's labels; null means none.</param>
    /// <returns>True when it matches.</returns>
    public bool Matches(IDictionary<string, string>? labels) => Requirements.All(r => r.Matches(labels));

    /// <summary>The selector as the API's <c>labelSelector</c> query parameter.</summary>
    /// <returns>The requirements joined with commas.</returns>
    public override string ToString() => string.Join(',', Requirements);

    private static IEnumerable<string> SplitRequirements(string expression)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            switch (expression[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return expression[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return expression[start..];
    }

    private static LabelRequirement ParseRequirement(string text, string expression)
    {
        if (text.Length == 0)
        {
            throw Invalid(expression, "it has an empty requirement (a stray comma?)");
        }

        var set = SetBased().Match(text);
        if (set.Success)
        {
            var key = CheckKey(set.Groups["key"].Value, expression);
            var values = set.Groups["values"].Value.Split(',').Select(v => CheckValue(v.Trim(), expression)).ToList();
            var op = set.Groups["op"].Value == "in" ? SelectorOperator.In : SelectorOperator.NotIn;
            if (values.Count == 0 || values.Any(v => v.Length == 0) && values.Count > 1)
            {
                throw Invalid(expression, $"the value list of '{key}' is malformed");
            }

            return new LabelRequirement(key, op, values);
        }

        if (text.StartsWith('!'))
        {
            return new LabelRequirement(CheckKey(text[1..].Trim(), expression), SelectorOperator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", SelectorOperator.NotEquals), ("==", SelectorOperator.Equals), ("=", SelectorOperator.Equals) })
        {
            var at = text.IndexOf(token, StringComparison.Ordinal);
            if (at >= 0)
            {
                var key = CheckKey(text[..at].Trim(), expression);
                var value = CheckValue(text[(at + token.Length)..].Trim(), expression);
                return new LabelRequirement(key, op, [value]);
            }
        }

        return new LabelRequirement(CheckKey(text, expression), SelectorOperator.Exists, []);
    }

    private static string CheckKey(string key, string expression)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefix = slash < 0 ? null : key[..slash];
        if (name.Length is 0 or > 63 || !QualifiedName().IsMatch(name))
        {
            throw Invalid(expression, $"'{key}' is not a valid label key (name part: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
        }

        if (prefix is not null && (prefix.Length is 0 or > 253 || !DnsSubdomain().IsMatch(prefix)))
        {
            throw Invalid(expression, $"'{key}' has an invalid prefix (a DNS subdomain such as example.com)");
        }

        return key;
    }

    private static string CheckValue(string value, string expression)
    {
        if (value.Length > 63 || value.Length > 0 && !QualifiedName().IsMatch(value))
        {
            throw Invalid(expression, $"'{value}' is not a valid label value (up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)");
        }

        return value;
    }

    private static FormatException Invalid(string expression, string why) => new($"Invalid label selector '{expression}': {why}.");

    [GeneratedRegex(@"^(?<key>[^\s()!=,]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetBased();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
