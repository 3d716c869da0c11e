using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace KSync.Config.Store;

/// <summary>
/// Replays a YAML node tree as parser events that carry each node's original position. Feeding it to a
/// deserializer reports type errors at the line and column of the file the tree was read from; feeding its events
/// to an <see cref="Emitter"/> writes the tree back as text.
/// </summary>
internal sealed class YamlTreeParser : IParser
{
    private readonly IEnumerator<ParsingEvent> _events;

    /// <summary>Creates a parser over one document whose root is <paramref name="root"/>.</summary>
    /// <param name="root">The document's root node.</param>
    public YamlTreeParser(YamlNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        _events = Events(root).GetEnumerator();
    }

    /// <inheritdoc/>
    public ParsingEvent? Current { get; private set; }

    /// <summary>Writes <paramref name="root"/> as a YAML document.</summary>
    /// <param name="root">The root node.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string Emit(YamlNode root)
    {
        using var writer = new StringWriter();
        var emitter = new Emitter(writer);
        foreach (var parsingEvent in Events(root))
        {
            emitter.Emit(parsingEvent);
        }

        return writer.ToString();
    }

    /// <inheritdoc/>
    public bool MoveNext()
    {
        if (_events.MoveNext())
        {
            Current = _events.Current;
            return true;
        }

        Current = null;
        return false;
    }

    private static IEnumerable<ParsingEvent> Events(YamlNode root)
    {
        yield return new StreamStart(root.Start, root.Start);
        yield return new DocumentStart(null, null, isImplicit: true, root.Start, root.Start);
        foreach (var parsingEvent in NodeEvents(root))
        {
            yield return parsingEvent;
        }

        yield return new DocumentEnd(isImplicit: true, root.End, root.End);
        yield return new StreamEnd(root.End, root.End);
    }

    private static IEnumerable<ParsingEvent> NodeEvents(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                var isImplicit = scalar.Tag.IsEmpty;
                yield return new Scalar(AnchorName.Empty, scalar.Tag, scalar.Value ?? string.Empty, scalar.Style, isImplicit, isImplicit, scalar.Start, scalar.End);
                break;
            case YamlSequenceNode sequence:
                yield return new SequenceStart(AnchorName.Empty, sequence.Tag, sequence.Tag.IsEmpty, sequence.Style, sequence.Start, sequence.End);
                foreach (var item in sequence.Children)
                {
                    foreach (var parsingEvent in NodeEvents(item))
                    {
                        yield return parsingEvent;
                    }
                }

                yield return new SequenceEnd(sequence.End, sequence.End);
                break;
            case YamlMappingNode mapping:
                yield return new MappingStart(AnchorName.Empty, mapping.Tag, mapping.Tag.IsEmpty, mapping.Style, mapping.Start, mapping.End);
                foreach (var (key, value) in mapping.Children)
                {
                    foreach (var parsingEvent in NodeEvents(key).Concat(NodeEvents(value)))
                    {
                        yield return parsingEvent;
                    }
                }

                yield return new MappingEnd(mapping.End, mapping.End);
                break;
            default:
                throw new YamlException(node.Start, node.End, "Aliases and anchors are not supported in ksync.yaml.");
        }
    }
}
