using KSync.Config.Model;
using KSync.Config.Validation;
namespace KSync.Config.Sources;

/// <summary>
/// Combines the user's specs and the project's into the specs watch runs and get lists. Pure: configs in, specs out.
/// The user's come first, in file order, as they are. The project's follow in file order, each with its local path
/// resolved against the project file's folder when relative (absolute ones are kept); one that is not valid, or whose
/// name a user spec or an earlier project spec already has, is left out with a problem saying why — the user's own
/// spec of the same name wins, so a user can override a team's spec locally.
/// </summary>
public static class SpecResolver
{
    /// <summary>Resolves the specs of both files.</summary>
    /// <param name="user">The user's config.</param>
    /// <param name="userPath">The user's config file, absolute.</param>
    /// <param name="project">The project's config, or null when there is no project file.</param>
    /// <param name="projectPath">The project's file, absolute (the real file, not a link to it); null with <paramref name="project"/>.</param>
    /// <returns>The specs, with copies of the details (the inputs are not changed), and problems.</returns>
    public static ResolvedSpecs Resolve(KsyncConfig user, string userPath, KsyncConfig? project, string? projectPath)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userSource = new SpecSource(SpecSourceKind.User, userPath);
        var specs = user.Spec.Select(s => new ResolvedSpec(s.Clone(), userSource)).ToList();
        var problems = new List<string>();
        if (project is null || projectPath is null)
        {
            return new ResolvedSpecs(specs, problems);
        }

        var projectSource = new SpecSource(SpecSourceKind.Project, projectPath);
        var folder = Path.GetDirectoryName(projectPath)!;
        var names = specs.Select(s => s.Details.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var spec in project.Spec)
        {
            var details = spec.Clone();
            details.LocalPath = LocalPathOf(details.LocalPath, folder);
            if (SpecValidator.Validate(details, localPathMayBeMissing: true) is { Count: > 0 } invalid)
            {
                problems.Add($"Spec '{spec.Name}' of {projectPath} is left out: {string.Join(" ", invalid.Select(p => p.Message))}");
                continue;
            }

            if (!names.Add(details.Name))
            {
                var owner = specs.First(s => s.Details.Name == details.Name).Source;
                problems.Add(owner.Kind == SpecSourceKind.User
                    ? $"Spec '{spec.Name}' of {projectPath} is left out: your own spec of that name in {owner.Path} is used instead."
                    : $"Spec '{spec.Name}' of {projectPath} is left out: an earlier spec in the file has that name.");
                continue;
            }

            specs.Add(new ResolvedSpec(details, projectSource));
        }

        return new ResolvedSpecs(specs, problems);
    }

    /// <summary>A project spec's local path as stored: relative to the project file's folder where it can be.</summary>
    /// <param name="localPath">The absolute local folder.</param>
    /// <param name="projectPath">The project file, absolute.</param>
    /// <returns>A relative path (with <c>/</c>), or <paramref name="localPath"/> when it is on another root.</returns>
    public static string StoredLocalPath(string localPath, string projectPath)
    {
        var folder = Path.GetDirectoryName(projectPath)!;
        var relative = Path.GetRelativePath(folder, localPath);
        return Path.IsPathRooted(relative) ? localPath : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static string LocalPathOf(string localPath, string folder)
        => localPath.Length == 0 ? localPath : Path.GetFullPath(localPath, folder);
}
