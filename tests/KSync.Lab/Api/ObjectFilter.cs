using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>
/// The <c>labelSelector</c> and <c>fieldSelector</c> query parameters as one predicate (Kubernetes docs: "Labels and
/// Selectors", "Field Selectors"). Field selectors support <c>=</c>, <c>==</c> and <c>!=</c> on the fields real
/// clusters support for the kinds the lab serves.
/// </summary>
internal sealed class ObjectFilter
{
    private static readonly Dictionary<string, string[]> s_supportedFields = new()
    {
        ["pods"] = ["spec.nodeName", "status.phase", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP", "status.nominatedNodeName"],
        ["events"] = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
        ["nodes"] = ["spec.unschedulable"],
        ["secrets"] = ["type"],
    };

    private readonly Selector? _labels;
    private readonly List<(string Field, bool Equal, string Value)> _fields = [];

    private ObjectFilter(Selector? labels)
    {
        _labels = labels;
    }

    /// <summary>Parses both selectors.</summary>
    /// <param name="kind">The resource (decides the supported fields).</param>
    /// <param name="labelSelector">labelSelector text, or null.</param>
    /// <param name="fieldSelector">fieldSelector text, or null.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ApiException">400 when a selector does not parse or names an unsupported field.</exception>
    public static ObjectFilter Parse(ResourceKind kind, string? labelSelector, string? fieldSelector)
    {
        var labels = string.IsNullOrWhiteSpace(labelSelector) ? null : Selector.Parse(labelSelector);

        var filter = new ObjectFilter(labels);
        if (!string.IsNullOrWhiteSpace(fieldSelector))
        {
            foreach (var part in fieldSelector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var (field, equal, value) = part.Contains("!=", StringComparison.Ordinal)
                    ? Split(part, "!=", false)
                    : part.Contains("==", StringComparison.Ordinal) ? Split(part, "==", true) : Split(part, "=", true);
                var supported = field is "metadata.name" or "metadata.namespace"
                    || (s_supportedFields.TryGetValue(kind.Plural, out var fields) && fields.Contains(field));
                if (!supported)
                {
                    throw ApiException.BadRequest($"field label not supported: {field}");
                }

                filter._fields.Add((field, equal, value));
            }
        }

        return filter;
    }

    /// <summary>Whether the object matches both selectors.</summary>
    /// <param name="obj">The object.</param>
    /// <returns>True when it matches.</returns>
    public bool Matches(JsonObject obj)
    {
        if (_labels is not null)
        {
            var labels = (obj["metadata"]?["labels"] as JsonObject)?.ToDictionary(p => p.Key, p => (string?)p.Value ?? string.Empty) ?? [];
            if (!_labels.Matches(labels))
            {
                return false;
            }
        }

        foreach (var (field, equal, value) in _fields)
        {
            JsonNode? node = obj;
            foreach (var segment in field.Split('.'))
            {
                node = node?[segment];
            }

            var actual = node switch
            {
                null => string.Empty,
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                _ => node.ToString(),
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    private static (string Field, bool Equal, string Value) Split(string part, string op, bool equal)
    {
        var at = part.IndexOf(op, StringComparison.Ordinal);
        if (at <= 0)
        {
            throw ApiException.BadRequest($"invalid selector: '{part}'; can't understand '{part}'");
        }

        return (part[..at].Trim(), equal, part[(at + op.Length)..].Trim());
    }
}
