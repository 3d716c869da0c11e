using KSync.Syncthing.Ignores;

namespace KSync.Syncthing.Tests.Units;

public sealed class IgnoreMatcherTests
{
    [Theory]
    [InlineData("node_modules", "node_modules", true)]
    [InlineData("node_modules", "node_modules/a/b.js", true)]
    [InlineData("node_modules", "web/node_modules/x", true)]
    [InlineData("node_modules", "node_modules_old", false)]
    [InlineData("/build", "build/out", true)]
    [InlineData("/build", "src/build", false)]
    [InlineData("*.log", "a/b/c.log", true)]
    [InlineData("*.log", "a.logx", false)]
    [InlineData("/doc/*.txt", "doc/a.txt", true)]
    [InlineData("/doc/*.txt", "doc/sub/a.txt", false)]
    [InlineData("/doc/**/*.txt", "doc/sub/deep/a.txt", true)]
    [InlineData("/doc/**/*.txt", "doc/a.txt", true)]
    [InlineData("**/tmp", "a/tmp/x", true)]
    [InlineData("**/tmp", "tmp", true)]
    [InlineData("fo?", "foo", true)]
    [InlineData("fo?", "fo/o", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[!a-c]x", "bx", false)]
    [InlineData("*.{js,css}", "x/y.css", true)]
    [InlineData("(?i)README", "readme", true)]
    [InlineData("README", "readme", false)]
    [InlineData("(?d).DS_Store", "a/.DS_Store", true)]
    [InlineData("dist/", "dist/x", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    public void IsIgnored_OnePattern(string pattern, string path, bool ignored)
    {
        Assert.Equal(ignored, new IgnoreMatcher([pattern]).IsIgnored(path));
    }

    [Fact]
    public void IsIgnored_FirstMatchWins_NegationReincludes()
    {
        var matcher = new IgnoreMatcher(["// comment", string.Empty, "!keep.log", "*.log", "!late.log"]);

        Assert.False(matcher.IsIgnored("keep.log"));
        Assert.True(matcher.IsIgnored("late.log"));
        Assert.True(matcher.IsIgnored("x.log"));
        Assert.False(matcher.IsIgnored("x.txt"));
    }

    [Theory]
    [InlineData(".stignore", true)]
    [InlineData(".stfolder", true)]
    [InlineData("a/.syncthing.x.tmp", true)]
    [InlineData("~syncthing~x.tmp", true)]
    [InlineData("a/.stignore", false)]
    public void IsIgnored_SyncthingsOwnFiles_WithoutPatterns(string path, bool ignored)
    {
        Assert.Equal(ignored, new IgnoreMatcher([]).IsIgnored(path));
    }
}
