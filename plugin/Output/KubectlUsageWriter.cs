using System.Text;

namespace KSync.Plugin.Output;

/// <summary>
/// A line-buffered writer for System.CommandLine's own output (help, parse errors) that shows the command as users
/// type it through kubectl: the root command's name (the executable, <c>kubectl-ksync</c>) becomes
/// <c>kubectl ksync</c>. System.CommandLine 2.0 rejects whitespace in command names and its help builder is
/// internal, so the rewrite happens on the text.
/// </summary>
internal sealed class KubectlUsageWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly string _executableName;
    private readonly string _displayName;
    private readonly StringBuilder _line = new();

    /// <summary>Creates the writer.</summary>
    /// <param name="inner">Where rewritten lines go.</param>
    /// <param name="executableName">The root command's name as System.CommandLine prints it.</param>
    /// <param name="displayName">What to print instead, e.g. <c>kubectl ksync</c>.</param>
    public KubectlUsageWriter(TextWriter inner, string executableName, string displayName)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrEmpty(executableName);
        _inner = inner;
        _executableName = executableName;
        _displayName = displayName;
    }

    /// <inheritdoc/>
    public override Encoding Encoding => _inner.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        _line.Append(value);
        if (value == '\n')
        {
            FlushLine();
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        foreach (var c in value)
        {
            Write(c);
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
        FlushLine();
        _inner.Flush();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0)
        {
            return;
        }

        var text = _line.ToString();
        _line.Clear();
        _inner.Write(Rewrite(text));
    }

    private string Rewrite(string line)
    {
        // Only whole-word occurrences: "kubectl-ksync create" and "kubectl-ksync [command]", never a file name.
        var index = line.IndexOf(_executableName, StringComparison.Ordinal);
        while (index >= 0)
        {
            var end = index + _executableName.Length;
            var startsWord = index == 0 || char.IsWhiteSpace(line[index - 1]) || line[index - 1] == '\'';
            var endsWord = end == line.Length || char.IsWhiteSpace(line[end]) || line[end] is '\'' or ':' or '.';
            if (startsWord && endsWord)
            {
                line = string.Concat(line.AsSpan(0, index), _displayName, line.AsSpan(end));
                end = index + _displayName.Length;
            }

            index = line.IndexOf(_executableName, end, StringComparison.Ordinal);
        }

        return line;
    }
}
