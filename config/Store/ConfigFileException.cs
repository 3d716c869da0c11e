namespace KSync.Config.Store;

/// <summary>ksync.yaml cannot be read: it does not parse, or a value has the wrong type. The file is left untouched.</summary>
public sealed class ConfigFileException : ConfigException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The config file.</param>
    /// <param name="line">1-based line of the problem, 0 when unknown.</param>
    /// <param name="column">1-based column of the problem, 0 when unknown.</param>
    /// <param name="problem">What is wrong there.</param>
    /// <param name="innerException">The parser's exception.</param>
    public ConfigFileException(string path, int line, int column, string problem, Exception? innerException = null)
        : base(
            line > 0 ? $"{path}:{line}:{column}: {problem}" : $"{path}: {problem}",
            "Fix the file by hand (ksync left it untouched), or move it away to start with an empty config.",
            innerException)
    {
        FilePath = path;
        Line = line;
        Column = column;
    }

    /// <summary>Gets the config file's path.</summary>
    public string FilePath { get; }

    /// <summary>Gets the 1-based line, 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column, 0 when unknown.</summary>
    public int Column { get; }
}
