using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.TestKit;

namespace KSync.Plugin.Tests.Config;

public sealed class ProjectFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("ksync-project-file");
    private readonly KsyncHome _home;

    public ProjectFileTests()
    {
        _home = new KsyncHome(_dir.Combine("home")).EnsureExists();
        Directory.CreateDirectory(_dir.Combine("repo/.devcontainer"));
    }

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Env(string? project) => name => name == ProjectFile.EnvironmentVariable ? project : null;

    [Fact]
    public void Locate_NothingNamed_IsNull()
        => Assert.Null(ProjectFile.Locate(_home, Env(null), _dir.Path));

    [Fact]
    public void Locate_VariableRelativeToTheWorkingDirectory()
    {
        var found = ProjectFile.Locate(_home, Env(".devcontainer/ksync.yaml"), _dir.Combine("repo"));

        Assert.Equal(new ProjectFile(_dir.Combine("repo/.devcontainer/ksync.yaml"), "KSYNC_PROJECT"), found);
    }

    [Fact]
    public void Locate_LinkInTheHome_IsFollowedToTheRealFile_EvenBeforeItExists()
    {
        File.CreateSymbolicLink(_home.ProjectLink, _dir.Combine("repo/.devcontainer/ksync.yaml"));

        var found = ProjectFile.Locate(_home, Env(null), _dir.Path);

        Assert.Equal(new ProjectFile(_dir.Combine("repo/.devcontainer/ksync.yaml"), _home.ProjectLink), found);
    }

    [Fact]
    public void Locate_VariableWinsOverTheLink()
    {
        File.CreateSymbolicLink(_home.ProjectLink, _dir.Combine("repo/.devcontainer/ksync.yaml"));

        Assert.Equal(_dir.Combine("other.yaml"), ProjectFile.Locate(_home, Env(_dir.Combine("other.yaml")), _dir.Path)!.Path);
    }

    [Fact]
    public void Locate_PlainFileInTheHome_IsTheProjectFile()
    {
        File.WriteAllText(_home.ProjectLink, "spec: []\n");

        Assert.Equal(_home.ProjectLink, ProjectFile.Locate(_home, Env(null), _dir.Path)!.Path);
    }
}
