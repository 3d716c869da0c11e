using System.Text.Json.Serialization;

namespace KSync.Syncthing.Client;

/// <summary>
/// <c>/rest/db/ignores?folder=</c> (syncthing REST: Database Endpoints). GET returns the lines of the folder's
/// <c>.stignore</c> (<see cref="Ignore"/>) and the patterns after <c>#include</c> expansion (<see cref="Expanded"/>);
/// POST takes <see cref="Ignore"/> and rewrites <c>.stignore</c>.
/// </summary>
public sealed class DbIgnores
{
    /// <summary>Gets or sets the lines of <c>.stignore</c>, as written.</summary>
    [JsonPropertyName("ignore")]
    public List<string>? Ignore { get; set; }

    /// <summary>Gets or sets the patterns after includes were expanded (GET only).</summary>
    [JsonPropertyName("expanded")]
    public List<string>? Expanded { get; set; }

    /// <summary>Gets or sets the error reading the ignore file, if any (GET only).</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }
}
