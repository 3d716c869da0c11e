using KSync.Config.Store;
namespace KSync.Config.Sources;

/// <summary>Reads the specs' two files once (for commands that do not follow them, such as <c>get</c> without a watch).</summary>
public static class SpecFiles
{
    /// <summary>Reads the user's config and the project's spec file and combines their specs.</summary>
    /// <param name="user">The user's config store.</param>
    /// <param name="project">The project file, or null when none is named.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The specs (<see cref="SpecResolver"/>); a project file that does not exist has none.</returns>
    /// <exception cref="ConfigFileException">A file does not parse.</exception>
    public static async Task<ResolvedSpecs> LoadAsync(ConfigStore user, ProjectFile? project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var userConfig = await user.LoadAsync(cancellationToken);
        var projectConfig = project is null ? null : await new ConfigStore(project.Path).LoadAsync(cancellationToken);
        return SpecResolver.Resolve(userConfig, user.Path, projectConfig, project?.Path);
    }
}
