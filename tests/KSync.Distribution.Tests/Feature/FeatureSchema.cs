using System.Text.Json;
using System.Text.RegularExpressions;

namespace KSync.Distribution.Tests.Feature;

/// <summary>
/// The rules of the Dev Container Features schema (devcontainers/spec <c>schemas/devContainerFeature.schema.json</c>)
/// and the spec's text (containers.dev/implementors/features), re-implemented (nothing is fetched at test time):
/// only the schema's properties, each of its type; <c>id</c>, <c>version</c> and <c>name</c> required; the id lowercase
/// and equal to the folder name; the version semver without <c>v</c>; each option one of the schema's three shapes
/// (boolean with a boolean default; string with enum and a default among it; string with optional proposals);
/// lifecycle commands a string, an array of strings or an object of those; mounts with type bind|volume and a target;
/// installsAfter ids without a version.
/// </summary>
public static partial class FeatureSchema
{
    private static readonly HashSet<string> s_strings = ["id", "version", "name", "description", "documentationURL", "licenseURL", "entrypoint"];
    private static readonly HashSet<string> s_booleans = ["init", "privileged", "deprecated"];
    private static readonly HashSet<string> s_stringArrays = ["capAdd", "securityOpt", "installsAfter", "legacyIds"];
    private static readonly HashSet<string> s_commands = ["onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand", "postAttachCommand"];
    private static readonly HashSet<string> s_others = ["containerEnv", "customizations", "options", "mounts"];

    /// <summary>Every problem of <paramref name="json"/>, the devcontainer-feature.json in folder <paramref name="folderName"/>.</summary>
    public static IReadOnlyList<string> Validate(string json, string folderName)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ["the document must be an object"];
        }

        foreach (var required in new[] { "id", "version", "name" })
        {
            Expect(root.TryGetProperty(required, out _), $"'{required}' is required", problems);
        }

        foreach (var property in root.EnumerateObject())
        {
            var (name, value) = (property.Name, property.Value);
            if (s_strings.Contains(name))
            {
                Expect(value.ValueKind == JsonValueKind.String, $"'{name}' must be a string", problems);
            }
            else if (s_booleans.Contains(name))
            {
                Expect(value.ValueKind is JsonValueKind.True or JsonValueKind.False, $"'{name}' must be a boolean", problems);
            }
            else if (s_stringArrays.Contains(name))
            {
                Expect(IsStringArray(value), $"'{name}' must be an array of strings", problems);
            }
            else if (s_commands.Contains(name))
            {
                Expect(IsCommand(value), $"'{name}' must be a string, an array of strings, or an object of those", problems);
            }
            else if (!s_others.Contains(name))
            {
                problems.Add($"'{name}' is not a property of the Features schema");
            }
        }

        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            Expect(id.GetString() == folderName, $"'id' ({id.GetString()}) must equal the folder name ({folderName})", problems);
            Expect(!id.GetString()!.Any(char.IsUpper), "'id' must be lowercase", problems);
        }

        if (root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String)
        {
            Expect(Semver().IsMatch(version.GetString()!), $"'version' ({version.GetString()}) must be a semantic version without v", problems);
        }

        if (root.TryGetProperty("installsAfter", out var after) && IsStringArray(after))
        {
            foreach (var entry in after.EnumerateArray().Select(e => e.GetString()!))
            {
                Expect(!entry[(entry.LastIndexOf('/') + 1)..].Contains(':', StringComparison.Ordinal), $"installsAfter '{entry}' must not carry a version", problems);
            }
        }

        if (root.TryGetProperty("containerEnv", out var env))
        {
            Expect(env.ValueKind == JsonValueKind.Object && env.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String), "'containerEnv' must be an object of strings", problems);
        }

        if (root.TryGetProperty("customizations", out var customizations))
        {
            Expect(customizations.ValueKind == JsonValueKind.Object, "'customizations' must be an object", problems);
        }

        if (root.TryGetProperty("mounts", out var mounts))
        {
            Expect(
                mounts.ValueKind == JsonValueKind.Array && mounts.EnumerateArray().All(m => m.ValueKind == JsonValueKind.Object
                    && m.TryGetProperty("type", out var t) && t.GetString() is "bind" or "volume"
                    && m.TryGetProperty("target", out var target) && target.ValueKind == JsonValueKind.String
                    && m.EnumerateObject().All(p => p.Name is "type" or "source" or "target")),
                "'mounts' entries need type bind|volume and a target (and only source besides)",
                problems);
        }

        if (root.TryGetProperty("options", out var options))
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                problems.Add("'options' must be an object");
            }
            else
            {
                foreach (var option in options.EnumerateObject())
                {
                    ValidateOption(option.Name, option.Value, problems);
                }
            }
        }

        return problems;
    }

    private static void ValidateOption(string name, JsonElement option, List<string> problems)
    {
        var where = $"option '{name}'";
        if (option.ValueKind != JsonValueKind.Object || !option.TryGetProperty("type", out var type) || !option.TryGetProperty("default", out var @default))
        {
            problems.Add($"{where} must be an object with 'type' and 'default'");
            return;
        }

        var keys = option.EnumerateObject().Select(p => p.Name).ToHashSet();
        if (option.TryGetProperty("description", out var description))
        {
            Expect(description.ValueKind == JsonValueKind.String, $"{where}: 'description' must be a string", problems);
        }

        switch (type.GetString())
        {
            case "boolean":
                Expect(@default.ValueKind is JsonValueKind.True or JsonValueKind.False, $"{where}: a boolean option needs a boolean default", problems);
                Expect(keys.IsSubsetOf(["type", "default", "description"]), $"{where}: a boolean option has only type, default and description", problems);
                break;
            case "string" when keys.Contains("enum"):
                var allowed = option.GetProperty("enum");
                Expect(IsStringArray(allowed), $"{where}: 'enum' must be an array of strings", problems);
                Expect(@default.ValueKind == JsonValueKind.String, $"{where}: a string option needs a string default", problems);
                Expect(keys.IsSubsetOf(["type", "default", "description", "enum"]), $"{where}: an enum option has only type, default, description and enum", problems);
                Expect(IsStringArray(allowed) && allowed.EnumerateArray().Any(v => v.GetString() == @default.GetString()), $"{where}: the default must be one of the enum's values", problems);
                break;
            case "string":
                Expect(@default.ValueKind == JsonValueKind.String, $"{where}: a string option needs a string default", problems);
                Expect(keys.IsSubsetOf(["type", "default", "description", "proposals"]), $"{where}: a string option has only type, default, description and proposals (or enum)", problems);
                Expect(!option.TryGetProperty("proposals", out var proposals) || IsStringArray(proposals), $"{where}: 'proposals' must be an array of strings", problems);
                break;
            default:
                problems.Add($"{where}: 'type' must be boolean or string");
                break;
        }
    }

    private static bool IsStringArray(JsonElement value)
        => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String);

    private static bool IsCommand(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => true,
        JsonValueKind.Array => IsStringArray(value),
        JsonValueKind.Object => value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String || IsStringArray(p.Value)),
        _ => false,
    };

    private static void Expect(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex Semver();
}
