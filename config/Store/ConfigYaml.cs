using KSync.Config.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace KSync.Config.Store;

/// <summary>
/// Reads and writes ksync.yaml text. The typed model goes through YamlDotNet's static (source-generated)
/// serializer; the file's YAML tree is kept beside it so keys the model does not know survive a save in their
/// original order.
/// </summary>
internal static class ConfigYaml
{
    private const string SpecKey = "spec";
    private const string NameKey = "name";
    private const string SelectorKey = "selector";

    private static readonly KsyncYamlContext s_context = new();

    private static readonly IDeserializer s_deserializer = new StaticDeserializerBuilder(s_context)
        .WithNamingConvention(NullNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    private static readonly ISerializer s_serializer = new StaticSerializerBuilder(s_context)
        .WithNamingConvention(NullNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .Build();

    /// <summary>Parses the text of a config file.</summary>
    /// <param name="text">File contents.</param>
    /// <param name="path">File path, for error messages.</param>
    /// <returns>The typed config and its tree.</returns>
    /// <exception cref="ConfigFileException">Malformed YAML, a non-mapping document, or a value of the wrong type.</exception>
    public static ConfigDocument Read(string text, string path)
    {
        var tree = ParseTree(text, path);
        if (tree is null)
        {
            return new ConfigDocument(new KsyncConfig(), null);
        }

        NormalizeSelectors(tree);
        KsyncConfig? config;
        try
        {
            config = s_deserializer.Deserialize<KsyncConfig>(new YamlTreeParser(tree));
        }
        catch (YamlException ex)
        {
            throw new ConfigFileException(path, (int)ex.Start.Line, (int)ex.Start.Column, Describe(ex), ex);
        }

        config ??= new KsyncConfig();
        config.Spec ??= [];
        foreach (var spec in config.Spec)
        {
            spec.Selector ??= [];
            spec.Name ??= string.Empty;
            spec.Pod ??= string.Empty;
            spec.ContainerName ??= string.Empty;
            spec.Namespace ??= "default";
            spec.LocalPath ??= string.Empty;
            spec.RemotePath ??= string.Empty;
        }

        return new ConfigDocument(config, tree);
    }

    /// <summary>Renders a config, keeping the unknown keys of <paramref name="original"/> where they were.</summary>
    /// <param name="config">The typed config to write.</param>
    /// <param name="original">The tree the config was read from, or null for a new file.</param>
    /// <returns>The YAML text.</returns>
    public static string Write(KsyncConfig config, YamlMappingNode? original)
    {
        var fresh = ParseTree(s_serializer.Serialize(config), "(generated)") ?? new YamlMappingNode();
        return YamlTreeParser.Emit(original is null ? fresh : Merge(original, fresh, MergeSpecs));
    }

    private static YamlMappingNode? ParseTree(string text, string path)
    {
        var stream = new YamlStream();
        Mark last = Mark.Empty;
        try
        {
            // A first pass over the events validates the syntax and remembers the last good position, which the
            // parser's own exception may lack.
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ConfigFileException(path, (int)ex.Start.Line, (int)ex.Start.Column, Describe(ex), ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigFileException(path, (int)last.Line, (int)last.Column, "the YAML does not parse after this point", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var extra = stream.Documents[1].RootNode.Start;
            throw new ConfigFileException(path, (int)extra.Line, (int)extra.Column, "the file must hold a single YAML document");
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new ConfigFileException(path, (int)stream.Documents[0].RootNode.Start.Line, (int)stream.Documents[0].RootNode.Start.Column, "the file must be a YAML mapping (keys such as 'spec:')");
    }

    private static void NormalizeSelectors(YamlMappingNode tree)
    {
        if (!tree.Children.TryGetValue(SpecKey, out var specs) || specs is not YamlSequenceNode sequence)
        {
            return;
        }

        foreach (var entry in sequence.Children.OfType<YamlMappingNode>())
        {
            // Older files (before ksync 0.3) hold one selector string instead of a list.
            if (entry.Children.TryGetValue(SelectorKey, out var selector) && selector is YamlScalarNode scalar)
            {
                entry.Children[SelectorKey] = string.IsNullOrEmpty(scalar.Value)
                    ? new YamlSequenceNode()
                    : new YamlSequenceNode(new YamlScalarNode(scalar.Value));
            }
        }
    }

    private static YamlMappingNode Merge(YamlMappingNode original, YamlMappingNode fresh, Func<YamlNode, YamlNode, YamlNode>? mergeSpec)
    {
        var result = new YamlMappingNode();
        foreach (var (key, value) in original.Children)
        {
            if (fresh.Children.TryGetValue(key, out var replacement))
            {
                result.Add(key, mergeSpec is not null && IsSpecKey(key) ? mergeSpec(value, replacement) : replacement);
            }
            else if (!IsModelled(key, mergeSpec is not null))
            {
                result.Add(key, value);
            }
        }

        foreach (var (key, value) in fresh.Children)
        {
            if (!result.Children.ContainsKey(key))
            {
                result.Add(key, value);
            }
        }

        return result;
    }

    private static YamlNode MergeSpecs(YamlNode original, YamlNode fresh)
    {
        if (original is not YamlSequenceNode before || fresh is not YamlSequenceNode after)
        {
            return fresh;
        }

        var byName = before.Children.OfType<YamlMappingNode>()
            .Where(m => m.Children.TryGetValue(NameKey, out var n) && n is YamlScalarNode)
            .GroupBy(m => ((YamlScalarNode)m.Children[NameKey]).Value ?? string.Empty)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var merged = new YamlSequenceNode();
        foreach (var entry in after.Children.OfType<YamlMappingNode>())
        {
            var name = entry.Children.TryGetValue(NameKey, out var n) ? ((YamlScalarNode)n).Value ?? string.Empty : string.Empty;
            merged.Add(byName.TryGetValue(name, out var old) ? Merge(old, entry, null) : entry);
        }

        return merged;
    }

    private static bool IsSpecKey(YamlNode key) => key is YamlScalarNode { Value: SpecKey };

    // Keys of the typed model that the serializer omitted (null) are dropped rather than kept stale.
    private static bool IsModelled(YamlNode key, bool topLevel) => key is YamlScalarNode { Value: var name }
        && (topLevel ? TopLevelKeys.Contains(name!) : SpecKeys.Contains(name!));

    private static readonly HashSet<string> TopLevelKeys = new(StringComparer.Ordinal) { "apikey", "context", "log-level", "namespace", "port", SpecKey };

    private static readonly HashSet<string> SpecKeys = new(StringComparer.Ordinal)
    {
        NameKey, "containername", "pod", SelectorKey, "namespace", "localpath", "remotepath", "reload", "reloadmode", "localreadonly", "remotereadonly",
    };

    private static string Describe(YamlException ex)
    {
        var inner = ex.InnerException is null ? string.Empty : $" ({ex.InnerException.Message})";
        var message = ex.Message;
        var paren = message.IndexOf("): ", StringComparison.Ordinal);
        return (paren >= 0 ? message[(paren + 3)..] : message) + inner;
    }
}
