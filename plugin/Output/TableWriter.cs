using System.Text;

namespace KSync.Plugin.Output;

/// <summary>Writes rows as kubectl does: upper-case headers, columns padded to the widest cell, three spaces apart.</summary>
internal sealed class TableWriter
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the given column headers.</summary>
    /// <param name="headers">Column names; written in upper case.</param>
    public TableWriter(params string[] headers)
    {
        _headers = [.. headers.Select(h => h.ToUpperInvariant())];
    }

    /// <summary>Adds a row; missing cells are empty, null cells show as <c>&lt;none&gt;</c>.</summary>
    /// <param name="cells">The cells, in column order.</param>
    public void AddRow(params string?[] cells)
    {
        _rows.Add([.. Enumerable.Range(0, _headers.Length).Select(i => i < cells.Length ? cells[i] ?? "<none>" : string.Empty)]);
    }

    /// <summary>Renders the table.</summary>
    /// <param name="includeHeaders">False for <c>--no-headers</c> style output.</param>
    /// <returns>The lines, each ending with a newline.</returns>
    public string Render(bool includeHeaders = true)
    {
        var all = includeHeaders ? _rows.Prepend(_headers).ToList() : _rows;
        var widths = Enumerable.Range(0, _headers.Length).Select(i => all.Count == 0 ? 0 : all.Max(r => r[i].Length)).ToArray();
        var builder = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 3));
            }

            builder.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return builder.ToString();
    }
}
