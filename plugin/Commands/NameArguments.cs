using System.CommandLine.Parsing;

namespace KSync.Plugin.Commands;

/// <summary>Checks for arguments that hold spec names.</summary>
internal static class NameArguments
{
    /// <summary>
    /// Rejects tokens that look like options: System.CommandLine hands an unknown <c>--flag</c> to a variadic
    /// argument, and spec names never start with '-', so such a token is a mistyped option.
    /// </summary>
    /// <param name="result">The argument's parse result.</param>
    public static void RejectOptionLikeTokens(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
        {
            result.AddError($"Unrecognized option '{token.Value}'.");
        }
    }

    /// <summary>
    /// The filters of <c>get NAME...</c> that match no spec, in the order given and each once: a name filters by
    /// substring (as the original's <c>get</c>), so a filter is missing when no spec name contains it.
    /// </summary>
    /// <param name="filters">The names given.</param>
    /// <param name="specNames">The names of the specs there are.</param>
    /// <returns>The filters nothing matched; empty when every one matched something (or none was given).</returns>
    public static IReadOnlyList<string> Unmatched(IEnumerable<string> filters, IEnumerable<string> specNames)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(specNames);
        var names = specNames.ToList();
        return [.. filters.Distinct(StringComparer.Ordinal).Where(f => !names.Any(n => n.Contains(f, StringComparison.Ordinal)))];
    }
}
