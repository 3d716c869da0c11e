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
}
