using System.Globalization;
using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>Reads integers from JSON nodes whatever CLR type they were stored with (int, long, or parsed JSON).</summary>
internal static class JsonNumbers
{
    /// <summary>The node as a long, or null when absent.</summary>
    /// <param name="node">The node.</param>
    /// <returns>The number.</returns>
    public static long? Long(JsonNode? node)
        => node is null ? null : long.Parse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
