using System.Xml.Linq;
using KSync.TestKit;

namespace KSync.Plugin.Tests.Architecture;

/// <summary>
/// The layers are enforced by projects (docs/architecture.md, "Projects and layers"): every project file of the
/// repository is read, and the product projects reference exactly the layers below them, with no cycle anywhere.
/// Test projects may reference anything.
/// </summary>
public sealed class ProjectGraphTests
{
    /// <summary>The product projects and the only project references each may have.</summary>
    private static readonly Dictionary<string, string[]> s_allowed = new(StringComparer.Ordinal)
    {
        ["KSync.Proto"] = [],
        ["KSync.Config"] = [],
        ["KSync.Syncthing"] = [],
        ["KSync.Engine"] = ["KSync.Config", "KSync.Syncthing"],
        ["KSync.Plugin"] = ["KSync.Config", "KSync.Engine", "KSync.Proto", "KSync.Syncthing"],
        ["KSync.Radar"] = ["KSync.Proto", "KSync.Syncthing"],
    };

    /// <summary>Packages that would pull the cluster, the wire or the command line into a library layer.</summary>
    private static readonly string[] s_edgePackages = ["KubernetesClient", "Grpc.", "Google.Protobuf", "System.CommandLine", "Docker.DotNet"];

    private static readonly Lazy<IReadOnlyDictionary<string, Project>> s_projects = new(Load);

    private static IReadOnlyDictionary<string, Project> Projects => s_projects.Value;

    [Fact]
    public void ProductProjects_AreExactlyTheLayers()
    {
        var product = Projects.Values.Where(p => !p.IsTest).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(s_allowed.Keys.Order(StringComparer.Ordinal), product);
    }

    [Fact]
    public void ProductProjects_ReferenceExactlyTheAllowedLayers()
    {
        foreach (var (name, allowed) in s_allowed)
        {
            var actual = Projects[name].References.Order(StringComparer.Ordinal).ToArray();
            Assert.True(allowed.Order(StringComparer.Ordinal).SequenceEqual(actual), $"{name} references [{string.Join(", ", actual)}]; allowed: [{string.Join(", ", allowed)}].");
        }
    }

    [Fact]
    public void LibraryLayers_UseNoClusterWireOrCommandLinePackages()
    {
        foreach (var name in new[] { "KSync.Config", "KSync.Syncthing", "KSync.Engine" })
        {
            var edge = Projects[name].Packages.Where(p => s_edgePackages.Any(e => p.StartsWith(e, StringComparison.Ordinal))).ToList();
            Assert.True(edge.Count == 0, $"{name} references {string.Join(", ", edge)}.");
        }
    }

    [Fact]
    public void NoProject_ReferencesItselfThroughOthers()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in Projects.Keys)
        {
            Visit(name, [], state);
        }
    }

    [Fact]
    public void EveryReference_NamesAProjectFileThatExists()
    {
        foreach (var project in Projects.Values)
        {
            Assert.All(project.References, r => Assert.True(Projects.ContainsKey(r), $"{project.Name} references {r}, which is not a project of the repository."));
        }
    }

    private static void Visit(string name, List<string> path, Dictionary<string, bool> state)
    {
        if (state.TryGetValue(name, out var done))
        {
            Assert.True(done, $"Reference cycle: {string.Join(" -> ", path.SkipWhile(p => p != name))} -> {name}");
            return;
        }

        state[name] = false;
        path.Add(name);
        foreach (var reference in Projects[name].References.Where(Projects.ContainsKey))
        {
            Visit(reference, path, state);
        }

        path.RemoveAt(path.Count - 1);
        state[name] = true;
    }

    private static Dictionary<string, Project> Load()
    {
        var root = Repository.Root;
        var files = Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or "artifacts" || part.StartsWith('.')))
            .ToList();
        Assert.NotEmpty(files);
        return files.Select(f => Project.Read(root, f)).ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    private sealed record Project(string Name, bool IsTest, IReadOnlyList<string> References, IReadOnlyList<string> Packages)
    {
        public static Project Read(string root, string file)
        {
            var xml = XDocument.Load(file);
            var folder = Path.GetDirectoryName(file)!;
            var references = xml.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(Path.GetFullPath(Path.Combine(folder, ((string?)r.Attribute("Include") ?? string.Empty).Replace('\\', '/')))))
                .ToList();
            var packages = xml.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include") ?? string.Empty).ToList();
            var isTest = Path.GetRelativePath(root, file).StartsWith("tests" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            return new Project(Path.GetFileNameWithoutExtension(file), isTest, references, packages);
        }
    }
}
