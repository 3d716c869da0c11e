using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace KSync.Distribution.Tests.Krew;

/// <summary>
/// krew-index's checks of a plugin manifest, re-implemented (krew <c>internal/index/validation/validate.go</c> and
/// <c>cmd/validate-krew-manifest</c>): apiVersion and kind, name = file name and <c>^[\w-]+$</c> and not a Windows
/// reserved name, version <c>v</c> + semver, a one-line shortDescription, per platform a non-empty selector on os/arch
/// only, uri, lowercase 64-hex sha256, bin (.exe on Windows), files with from and to; every selector matches a
/// supported os/arch pair and no two match the same; and, installing each platform's archive (here: reading it from a
/// folder), the sha256 matches and a license file and the bin are among its files.
/// </summary>
public static partial class KrewManifestRules
{
    /// <summary>The os/arch pairs krew-index accepts (validate-krew-manifest's list).</summary>
    public static readonly (string Os, string Arch)[] SupportedPlatforms =
    [
        ("windows", "386"), ("windows", "amd64"), ("windows", "arm64"),
        ("linux", "386"), ("linux", "amd64"), ("linux", "arm"), ("linux", "arm64"), ("linux", "ppc64le"),
        ("darwin", "386"), ("darwin", "amd64"), ("darwin", "arm64"),
    ];

    private static readonly string[] s_licenseNames = ["license", "license.txt", "license.md", "licenses", "licenses.txt", "licenses.md", "copying", "copying.txt"];
    private static readonly string[] s_reserved = ["con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9"];

    /// <summary>Every problem of the manifest at <paramref name="manifestPath"/>; archives are looked up in <paramref name="archives"/> by the uri's file name.</summary>
    public static IReadOnlyList<string> Validate(string manifestPath, string? archives)
    {
        var problems = new List<string>();
        var stream = new YamlStream();
        using (var reader = File.OpenText(manifestPath))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Expect(Text(root, "apiVersion") == "krew.googlecontainertools.github.com/v1alpha2", "apiVersion must be krew.googlecontainertools.github.com/v1alpha2", problems);
        Expect(Text(root, "kind") == "Plugin", "kind must be Plugin", problems);
        var name = Text(Child(root, "metadata"), "name") ?? string.Empty;
        Expect(name == Path.GetFileNameWithoutExtension(manifestPath) && manifestPath.EndsWith(".yaml", StringComparison.Ordinal), $"metadata.name '{name}' must equal the file name without .yaml", problems);
        Expect(NamePattern().IsMatch(name) && !s_reserved.Contains(name.ToLowerInvariant()), $"metadata.name '{name}' is not a valid plugin name", problems);

        var spec = Child(root, "spec");
        var version = Text(spec, "version") ?? string.Empty;
        Expect(VersionPattern().IsMatch(version), $"spec.version '{version}' must be v followed by a semantic version", problems);
        var shortDescription = Text(spec, "shortDescription") ?? string.Empty;
        Expect(shortDescription.Length > 0 && !shortDescription.Contains('\n') && !shortDescription.Contains('\r'), "spec.shortDescription must be one non-empty line", problems);

        var platforms = spec?.Children.TryGetValue(new YamlScalarNode("platforms"), out var list) == true ? ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>().ToList() : [];
        Expect(platforms.Count > 0, "spec.platforms must not be empty", problems);
        var claimed = new Dictionary<(string, string), int>();
        for (var i = 0; i < platforms.Count; i++)
        {
            ValidatePlatform(platforms[i], i, archives, claimed, problems);
        }

        return problems;
    }

    /// <summary>Which supported os/arch pairs a selector matches (matchLabels, and matchExpressions with In/NotIn/Exists/DoesNotExist).</summary>
    public static IReadOnlyList<(string Os, string Arch)> Matches(YamlMappingNode? selector)
    {
        if (selector is null || selector.Children.Count == 0)
        {
            return [];
        }

        var labels = Child(selector, "matchLabels")?.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value!) ?? [];
        var expressions = selector.Children.TryGetValue(new YamlScalarNode("matchExpressions"), out var e) ? ((YamlSequenceNode)e).Children.Cast<YamlMappingNode>().ToList() : [];
        return [.. SupportedPlatforms.Where(p =>
        {
            var values = new Dictionary<string, string> { ["os"] = p.Os, ["arch"] = p.Arch };
            return labels.All(l => values.TryGetValue(l.Key, out var v) && v == l.Value) && expressions.All(x =>
            {
                var key = Text(x, "key")!;
                var list = x.Children.TryGetValue(new YamlScalarNode("values"), out var vs) ? ((YamlSequenceNode)vs).Children.Select(n => ((YamlScalarNode)n).Value!).ToList() : [];
                var has = values.TryGetValue(key, out var value);
                return Text(x, "operator") switch
                {
                    "In" => has && list.Contains(value!),
                    "NotIn" => !has || !list.Contains(value!),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    _ => false,
                };
            });
        })];
    }

    /// <summary>The file names inside a .tar.gz or .zip archive.</summary>
    public static IReadOnlyList<string> ArchiveEntries(string archive)
    {
        if (archive.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = ZipFile.OpenRead(archive);
            return [.. zip.Entries.Select(entry => entry.FullName)];
        }

        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name.TrimStart('.', '/'));
        }

        return names;
    }

    private static void ValidatePlatform(YamlMappingNode platform, int index, string? archives, Dictionary<(string, string), int> claimed, List<string> problems)
    {
        var where = $"platforms[{index}]";
        var selector = Child(platform, "selector");
        var keys = selector is null ? [] : SelectorKeys(selector).ToList();
        Expect(selector is not null && selector.Children.Count > 0, $"{where}.selector must not be empty", problems);
        Expect(keys.All(k => k is "os" or "arch"), $"{where}.selector may only use the keys os and arch, not {string.Join(", ", keys)}", problems);
        var matches = Matches(selector);
        Expect(matches.Count > 0, $"{where}.selector matches no supported os/arch pair", problems);
        foreach (var pair in matches)
        {
            if (claimed.TryGetValue(pair, out var other))
            {
                problems.Add($"{where}.selector and platforms[{other}].selector both match {pair.Item1}/{pair.Item2}");
            }

            claimed[pair] = index;
        }

        var uri = Text(platform, "uri") ?? string.Empty;
        var sha = Text(platform, "sha256") ?? string.Empty;
        var bin = Text(platform, "bin") ?? string.Empty;
        Expect(uri.Length > 0 && (uri.EndsWith(".tar.gz", StringComparison.Ordinal) || uri.EndsWith(".zip", StringComparison.Ordinal)), $"{where}.uri '{uri}' must name a .tar.gz or .zip", problems);
        Expect(ShaPattern().IsMatch(sha), $"{where}.sha256 '{sha}' must be 64 lowercase hex digits", problems);
        Expect(bin.Length > 0, $"{where}.bin must be set", problems);
        Expect(!matches.Any(m => m.Os == "windows") || bin.EndsWith(".exe", StringComparison.Ordinal), $"{where}.bin '{bin}' must end with .exe on Windows", problems);
        if (platform.Children.TryGetValue(new YamlScalarNode("files"), out var files))
        {
            var entries = ((YamlSequenceNode)files).Children.Cast<YamlMappingNode>().ToList();
            Expect(entries.Count > 0 && entries.All(f => !string.IsNullOrEmpty(Text(f, "from")) && !string.IsNullOrEmpty(Text(f, "to"))), $"{where}.files entries need from and to", problems);
        }

        if (archives is null || uri.Length == 0)
        {
            return;
        }

        var archive = Path.Combine(archives, uri[(uri.LastIndexOf('/') + 1)..]);
        if (!File.Exists(archive))
        {
            problems.Add($"{where}: the archive {Path.GetFileName(archive)} is not in {archives}");
            return;
        }

        using (var stream = File.OpenRead(archive))
        {
            Expect(Convert.ToHexStringLower(SHA256.HashData(stream)) == sha, $"{where}.sha256 does not match {Path.GetFileName(archive)}", problems);
        }

        var names = ArchiveEntries(archive);
        Expect(names.Any(n => s_licenseNames.Contains(Path.GetFileName(n).ToLowerInvariant())), $"{where}: {Path.GetFileName(archive)} holds no license file", problems);
        Expect(names.Contains(bin), $"{where}: {Path.GetFileName(archive)} holds no {bin}", problems);
    }

    private static IEnumerable<string> SelectorKeys(YamlMappingNode selector)
    {
        foreach (var key in Child(selector, "matchLabels")?.Children.Keys.Cast<YamlScalarNode>() ?? [])
        {
            yield return key.Value!;
        }

        if (selector.Children.TryGetValue(new YamlScalarNode("matchExpressions"), out var e))
        {
            foreach (var expression in ((YamlSequenceNode)e).Children.Cast<YamlMappingNode>())
            {
                yield return Text(expression, "key")!;
            }
        }
    }

    private static void Expect(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    private static YamlMappingNode? Child(YamlMappingNode? node, string key)
        => node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static string? Text(YamlMappingNode? node, string key)
        => node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    [GeneratedRegex(@"^[\w-]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex ShaPattern();
}
