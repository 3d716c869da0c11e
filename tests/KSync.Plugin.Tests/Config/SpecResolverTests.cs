using KSync.Config.Model;
using KSync.Config.Sources;

namespace KSync.Plugin.Tests.Config;

public sealed class SpecResolverTests
{
    private const string UserFile = "/home/me/.ksync/ksync.yaml";
    private const string ProjectPath = "/work/app/.devcontainer/ksync.yaml";

    private static SpecDetails Spec(string name, string local, string remote = "/app") => new() { Name = name, Selector = ["app=api"], LocalPath = local, RemotePath = remote };

    private static KsyncConfig Config(params SpecDetails[] specs) => new() { Spec = [.. specs] };

    [Fact]
    public void Resolve_ProjectSpecs_HaveLocalPathsRelativeToTheProjectFile()
    {
        var project = Config(Spec("api", "../src"), Spec("web", "web/static"), Spec("abs", "/srv/abs"));

        var resolved = SpecResolver.Resolve(Config(), UserFile, project, ProjectPath);

        Assert.Equal(["/work/app/src", "/work/app/.devcontainer/web/static", "/srv/abs"], resolved.Specs.Select(s => s.Details.LocalPath));
        Assert.All(resolved.Specs, s => Assert.Equal(new SpecSource(SpecSourceKind.Project, ProjectPath), s.Source));
        Assert.Equal("../src", project.Spec[0].LocalPath);
        Assert.Empty(resolved.Problems);
    }

    [Fact]
    public void Resolve_BothFiles_UsersFirstThenProjects_EachWithItsSource()
    {
        var resolved = SpecResolver.Resolve(Config(Spec("mine", "/home/me/src")), UserFile, Config(Spec("team", "../src")), ProjectPath);

        Assert.Equal(
            [("mine", "/home/me/src", SpecSourceKind.User, UserFile), ("team", "/work/app/src", SpecSourceKind.Project, ProjectPath)],
            resolved.Specs.Select(s => (s.Details.Name, s.Details.LocalPath, s.Source.Kind, s.Source.Path)));
    }

    [Fact]
    public void Resolve_NoProjectFile_IsTheUsersSpecsAlone()
    {
        var resolved = SpecResolver.Resolve(Config(Spec("mine", "/home/me/src")), UserFile, null, null);

        Assert.Equal(["mine"], resolved.Specs.Select(s => s.Details.Name));
        Assert.Empty(resolved.Problems);
    }

    [Fact]
    public void Resolve_ProjectSpecNamedLikeAUserSpec_TheUsersWins()
    {
        var resolved = SpecResolver.Resolve(Config(Spec("api", "/home/me/api")), UserFile, Config(Spec("api", "../src"), Spec("web", "../web")), ProjectPath);

        Assert.Equal([("api", "/home/me/api"), ("web", "/work/app/web")], resolved.Specs.Select(s => (s.Details.Name, s.Details.LocalPath)));
        Assert.Equal($"Spec 'api' of {ProjectPath} is left out: your own spec of that name in {UserFile} is used instead.", Assert.Single(resolved.Problems));
    }

    [Fact]
    public void Resolve_ProjectSpecNamedTwice_KeepsTheFirst()
    {
        var resolved = SpecResolver.Resolve(Config(), UserFile, Config(Spec("api", "../a"), Spec("api", "../b")), ProjectPath);

        Assert.Equal(["/work/app/a"], resolved.Specs.Select(s => s.Details.LocalPath));
        Assert.Contains("an earlier spec in the file has that name", Assert.Single(resolved.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_InvalidProjectSpec_IsLeftOutWithWhy()
    {
        var resolved = SpecResolver.Resolve(Config(), UserFile, Config(Spec("ok", "../src"), Spec("bad", "../src", remote: "relative/path")), ProjectPath);

        Assert.Equal(["ok"], resolved.Specs.Select(s => s.Details.Name));
        Assert.StartsWith($"Spec 'bad' of {ProjectPath} is left out: Remote path 'relative/path'", Assert.Single(resolved.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/work/app/src", "../src")]
    [InlineData("/work/app/.devcontainer/x", "x")]
    [InlineData("/work/app/.devcontainer", ".")]
    public void StoredLocalPath_IsRelativeToTheProjectFile(string local, string stored)
        => Assert.Equal(stored, SpecResolver.StoredLocalPath(local, ProjectPath));
}
