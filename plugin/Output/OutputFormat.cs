namespace KSync.Plugin.Output;

/// <summary>The <c>-o/--output</c> formats, as kubectl names them.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns with upper-case headers (the default).</summary>
    Table,

    /// <summary>The table with more columns.</summary>
    Wide,

    /// <summary>The full view as indented JSON.</summary>
    Json,

    /// <summary>The full view as YAML.</summary>
    Yaml,
}
