using KSync.Config.Model;
using KSync.Config.Store;
namespace KSync.Config.Sources;

/// <summary>
/// One followed file's config in force: the last text that parsed. Pure: texts in, decisions out. A missing file is
/// an empty config; a text that does not parse leaves the config in force as it was (the last good one) and is
/// reported once, not at every read of the same text.
/// </summary>
public sealed class LastGoodConfig
{
    private bool _hasRead;
    private string? _lastText;

    /// <summary>Gets the config in force: empty before the first good read and for a missing file.</summary>
    public KsyncConfig Config { get; private set; } = new();

    /// <summary>Gets a value indicating whether any read parsed (a missing file counts).</summary>
    public bool HasGood { get; private set; }

    /// <summary>Takes a read of the file.</summary>
    /// <param name="text">The file's text, or null when it does not exist.</param>
    /// <param name="parse">Parses a text; throws <see cref="ConfigFileException"/> when it does not parse.</param>
    /// <returns>
    /// <see cref="ConfigChange.None"/> when the text is the one read last; <see cref="ConfigChange.Changed"/> when the
    /// config in force is now this text's; <see cref="ConfigChange.Broken"/> when it does not parse (with the error).
    /// </returns>
    public (ConfigChange Change, ConfigFileException? Error) Offer(string? text, Func<string, KsyncConfig> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (_hasRead && text == _lastText)
        {
            return (ConfigChange.None, null);
        }

        _hasRead = true;
        _lastText = text;
        try
        {
            Config = text is null ? new KsyncConfig() : parse(text);
            HasGood = true;
            return (ConfigChange.Changed, null);
        }
        catch (ConfigFileException ex)
        {
            return (ConfigChange.Broken, ex);
        }
    }
}
