using KSync.Syncthing.Ignores;

namespace KSync.Syncthing.Tests.Units;

public sealed class StignoreFileTests
{
    [Fact]
    public void Compose_UserLinesFirstThenBlock_AndIdempotent()
    {
        var first = StignoreFile.Compose("// mine\n*.secret\n", [".git", "*.log"]);
        Assert.Equal($"// mine\n*.secret\n{StignoreFile.BeginMarker}\n.git\n*.log\n{StignoreFile.EndMarker}\n", first);
        Assert.Equal(first, StignoreFile.Compose(first, [".git", "*.log"]));
        Assert.Equal($"// mine\n*.secret\n{StignoreFile.BeginMarker}\n.git\n{StignoreFile.EndMarker}\n", StignoreFile.Compose(first, [".git"]));
    }

    [Fact]
    public void Compose_NoBlock_RestoresUserFileOrNothing()
    {
        var withBlock = StignoreFile.Compose("a\nb\n", [".git"]);
        Assert.Equal("a\nb\n", StignoreFile.Compose(withBlock, []));
        Assert.Null(StignoreFile.Compose(StignoreFile.Compose(null, [".git"]), []));
        Assert.Null(StignoreFile.Compose(null, []));
    }

    [Fact]
    public void UserLines_EditsAroundTheBlock_Kept()
    {
        var text = $"a\n{StignoreFile.BeginMarker}\n.git\n{StignoreFile.EndMarker}\nadded later\r\n";
        Assert.Equal(["a", "added later"], StignoreFile.UserLines(text));
    }

    [Fact]
    public void Generate_GitDirExtrasThenGitignore()
    {
        var patterns = StignoreFile.Generate(new IgnoreSettings { ExtraPatterns = ["/tmp"] }, "bin/\n!bin/keep\n");
        Assert.Equal([".git", "/tmp", "!/bin/keep", "bin"], patterns);
        Assert.Empty(StignoreFile.Generate(new IgnoreSettings { IgnoreGitDirectory = false, UseGitignore = false }, "bin/\n"));
    }
}
