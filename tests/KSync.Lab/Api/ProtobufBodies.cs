using System.Text;
using System.Text.Json.Nodes;

namespace KSync.Lab.Api;

/// <summary>
/// Decodes request bodies kubectl sends as <c>application/vnd.kubernetes.protobuf</c> (typed clients do for built-in
/// kinds, e.g. <c>kubectl create namespace|secret|serviceaccount|configmap|role|rolebinding</c>), as the API server
/// does (Kubernetes API Concepts: "Protobuf encoding"): the 4-byte prefix <c>k8s\0</c>, then a
/// <c>runtime.Unknown</c> (typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2) whose raw bytes are the object in the
/// k8s.io/api generated.proto schema. The lab knows the schema of the kinds above; other kinds get 415 asking for JSON.
/// Answers go back as JSON, which clients accept from any server.
/// </summary>
internal static class ProtobufBodies
{
    /// <summary>The media type.</summary>
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly Schema s_time = new() { [1] = new("seconds", Kind.Int64) };

    private static readonly Schema s_ownerReference = new()
    {
        [1] = new("kind", Kind.String), [3] = new("name", Kind.String), [4] = new("uid", Kind.String), [5] = new("apiVersion", Kind.String),
        [6] = new("controller", Kind.Bool), [7] = new("blockOwnerDeletion", Kind.Bool),
    };

    private static readonly Schema s_objectMeta = new()
    {
        [1] = new("name", Kind.String), [2] = new("generateName", Kind.String), [3] = new("namespace", Kind.String),
        [5] = new("uid", Kind.String), [6] = new("resourceVersion", Kind.String), [7] = new("generation", Kind.Int64),
        [11] = new("labels", Kind.MapString), [12] = new("annotations", Kind.MapString),
        [13] = new("ownerReferences", Kind.Message, true, s_ownerReference), [14] = new("finalizers", Kind.String, true),
    };

    private static readonly Schema s_objectReference = new() { [1] = new("kind", Kind.String), [2] = new("namespace", Kind.String), [3] = new("name", Kind.String) };

    private static readonly Schema s_policyRule = new()
    {
        [1] = new("verbs", Kind.String, true), [2] = new("apiGroups", Kind.String, true), [3] = new("resources", Kind.String, true),
        [4] = new("resourceNames", Kind.String, true), [5] = new("nonResourceURLs", Kind.String, true),
    };

    private static readonly Dictionary<string, Schema> s_kinds = new(StringComparer.Ordinal)
    {
        ["Namespace"] = new()
        {
            [1] = new("metadata", Kind.Message, false, s_objectMeta),
            [2] = new("spec", Kind.Message, false, new Schema { [1] = new("finalizers", Kind.String, true) }),
        },
        ["Secret"] = new()
        {
            [1] = new("metadata", Kind.Message, false, s_objectMeta), [2] = new("data", Kind.MapBytes), [3] = new("type", Kind.String),
            [4] = new("stringData", Kind.MapString), [5] = new("immutable", Kind.Bool),
        },
        ["ConfigMap"] = new()
        {
            [1] = new("metadata", Kind.Message, false, s_objectMeta), [2] = new("data", Kind.MapString), [3] = new("binaryData", Kind.MapBytes), [4] = new("immutable", Kind.Bool),
        },
        ["ServiceAccount"] = new()
        {
            [1] = new("metadata", Kind.Message, false, s_objectMeta), [2] = new("secrets", Kind.Message, true, s_objectReference),
            [3] = new("imagePullSecrets", Kind.Message, true, new Schema { [1] = new("name", Kind.String) }), [4] = new("automountServiceAccountToken", Kind.Bool),
        },
        ["Role"] = new() { [1] = new("metadata", Kind.Message, false, s_objectMeta), [2] = new("rules", Kind.Message, true, s_policyRule) },
        ["RoleBinding"] = new()
        {
            [1] = new("metadata", Kind.Message, false, s_objectMeta),
            [2] = new("subjects", Kind.Message, true, new Schema { [1] = new("kind", Kind.String), [2] = new("apiGroup", Kind.String), [3] = new("name", Kind.String), [4] = new("namespace", Kind.String) }),
            [3] = new("roleRef", Kind.Message, false, new Schema { [1] = new("apiGroup", Kind.String), [2] = new("kind", Kind.String), [3] = new("name", Kind.String) }),
        },
    };

    private enum Kind
    {
        String,
        Bytes,
        Bool,
        Int64,
        Message,
        MapString,
        MapBytes,
    }

    /// <summary>Decodes a protobuf request body into the object's JSON form.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The object with apiVersion and kind.</returns>
    /// <exception cref="ApiException">400 for a malformed body, 415 for a kind the lab has no schema of.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4 || !body[..4].SequenceEqual("k8s\0"u8))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the k8s\\0 prefix");
        }

        var unknown = new Reader(body[4..].ToArray());
        string? apiVersion = null;
        string? kind = null;
        byte[] raw = [];
        while (unknown.Next(out var field, out var wire))
        {
            switch (field)
            {
                case 1:
                    var typeMeta = new Reader(unknown.Bytes());
                    while (typeMeta.Next(out var f, out var w))
                    {
                        if (f == 1) { apiVersion = Encoding.UTF8.GetString(typeMeta.Bytes()); }
                        else if (f == 2) { kind = Encoding.UTF8.GetString(typeMeta.Bytes()); }
                        else { typeMeta.Skip(w); }
                    }

                    break;
                case 2:
                    raw = unknown.Bytes();
                    break;
                default:
                    unknown.Skip(wire);
                    break;
            }
        }

        if (kind is null || !s_kinds.TryGetValue(kind, out var schema))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the lab decodes protobuf bodies of {string.Join(", ", s_kinds.Keys)} only, not {kind ?? "(no kind)"}; send application/json");
        }

        var obj = Message(new Reader(raw), schema);
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject Message(Reader reader, Schema schema)
    {
        var obj = new JsonObject();
        while (reader.Next(out var number, out var wire))
        {
            if (!schema.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }

            JsonNode? value = field.Kind switch
            {
                Kind.String => Encoding.UTF8.GetString(reader.Bytes()),
                Kind.Bytes => Convert.ToBase64String(reader.Bytes()),
                Kind.Bool => reader.Varint() != 0,
                Kind.Int64 => (long)reader.Varint(),
                Kind.Message => Message(new Reader(reader.Bytes()), field.Schema!),
                _ => null,
            };
            if (field.Kind is Kind.MapString or Kind.MapBytes)
            {
                var entry = new Reader(reader.Bytes());
                string key = string.Empty;
                byte[] entryValue = [];
                while (entry.Next(out var f, out var w))
                {
                    if (f == 1) { key = Encoding.UTF8.GetString(entry.Bytes()); }
                    else if (f == 2) { entryValue = entry.Bytes(); }
                    else { entry.Skip(w); }
                }

                var map = obj[field.Name] as JsonObject ?? [];
                map[key] = field.Kind == Kind.MapString ? Encoding.UTF8.GetString(entryValue) : Convert.ToBase64String(entryValue);
                obj[field.Name] = map;
            }
            else if (field.Repeated)
            {
                var list = obj[field.Name] as JsonArray ?? [];
                list.Add(value);
                obj[field.Name] = list;
            }
            else
            {
                obj[field.Name] = value;
            }
        }

        return obj;
    }

    private sealed class Schema : Dictionary<int, Field>;

    private sealed record Field(string Name, Kind Kind, bool Repeated = false, Schema? Schema = null);

    /// <summary>Protocol buffers wire format: varint keys (field number &lt;&lt; 3 | wire type), varints, length-delimited bytes.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= data.Length)
            {
                field = wire = 0;
                return false;
            }

            var key = Varint();
            field = (int)(key >> 3);
            wire = (int)(key & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_position >= data.Length)
                {
                    throw ApiException.BadRequest("the protobuf body is truncated");
                }

                var b = data[_position++];
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw ApiException.BadRequest("the protobuf body has a malformed varint");
        }

        public byte[] Bytes()
        {
            var length = (int)Varint();
            if (length < 0 || _position + length > data.Length)
            {
                throw ApiException.BadRequest("the protobuf body is truncated");
            }

            var bytes = data.AsSpan(_position, length).ToArray();
            _position += length;
            return bytes;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _position += 8; break;
                case 2: Bytes(); break;
                case 5: _position += 4; break;
                default: throw ApiException.BadRequest($"the protobuf body has an unknown wire type {wire}");
            }
        }
    }
}
