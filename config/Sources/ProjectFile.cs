using KSync.Config.Model;
namespace KSync.Config.Sources;

/// <summary>
/// The project's spec file: a ksync.yaml in the original format kept in a repository (the Dev Container feature's
/// default is <c>.devcontainer/ksync.yaml</c>), whose specs watch syncs together with the user's own. It is named by
/// <c>KSYNC_PROJECT</c> (a path, relative to the working directory), else by <c>project.yaml</c> in the ksync home —
/// normally a symbolic link the Dev Container feature points at the workspace's file. Links are followed to the real
/// file, so relative local paths mean the same for everyone, and writes replace the real file, not the link.
/// </summary>
/// <param name="Path">The real file, absolute; it may not exist (yet).</param>
/// <param name="NamedBy">What named it, for messages: <c>KSYNC_PROJECT</c> or the link's path.</param>
public sealed record ProjectFile(string Path, string NamedBy)
{
    /// <summary>The environment variable that names the project file.</summary>
    public const string EnvironmentVariable = "KSYNC_PROJECT";

    /// <summary>Finds the project file, if one is named.</summary>
    /// <param name="home">The ksync home (its <see cref="KsyncHome.ProjectLink"/>).</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <param name="workingDirectory">Base of a relative <c>KSYNC_PROJECT</c>.</param>
    /// <returns>The project file, or null when neither the variable nor the link (or file) in the home is there.</returns>
    public static ProjectFile? Locate(KsyncHome home, Func<string, string?> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(EnvironmentVariable) is { Length: > 0 } named)
        {
            return new ProjectFile(RealPath(System.IO.Path.GetFullPath(named, workingDirectory)), EnvironmentVariable);
        }

        var link = new FileInfo(home.ProjectLink);
        return link.Exists || link.LinkTarget is not null ? new ProjectFile(RealPath(link.FullName), link.FullName) : null;
    }

    private static string RealPath(string path)
    {
        try
        {
            // A dangling link still resolves: the file it names may be created later (create --project does).
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            // A link loop: use the path as it is; reading it reports the problem.
            return path;
        }
    }
}
