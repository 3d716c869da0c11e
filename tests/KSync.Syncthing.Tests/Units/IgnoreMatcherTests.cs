using KSync.Syncthing.Ignores;

namespace KSync.Syncthing.Tests.Units;

/// <summary>Syncthing's ignore rules (docs "Ignoring Files") as <c>wait --verify</c> applies them.</summary>
public sealed class IgnoreMatcherTests
{
    [Theory]
    [InlineData("node_modules", "node_modules", true)]
    [InlineData("node_modules", "node_modules/a/b.js", true)]
    [InlineData("node_modules", "web/node_modules/x.js", true)]
    [InlineData("node_modules", "node_modules2", false)]
    [InlineData("/build", "build/out.o", true)]
    [InlineData("/build", "src/build", false)]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "deep/dir/a.log", true)]
    [InlineData("*.log", "a.log.txt", false)]
    [InlineData("/doc/*.txt", "doc/a.txt", true)]
    [InlineData("/doc/*.txt", "doc/sub/a.txt", false)]
    [InlineData("/a/**/b", "a/x/y/b", true)]
    [InlineData("**/cache", "cache", false)]
    [InlineData("**/cache", "x/cache/y", true)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file12.txt", false)]
    [InlineData("file[!0-9].txt", "fileA.txt", true)]
    [InlineData("file[!0-9].txt", "file1.txt", false)]
    [InlineData("*.{jpg,png}", "img/x.png", true)]
    [InlineData("*.{jpg,png}", "img/x.gif", false)]
    [InlineData("(?i)README", "docs/readme", true)]
    [InlineData("README", "docs/readme", false)]
    [InlineData("(?d).DS_Store", ".DS_Store", true)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("// a comment", "// a comment", false)]
    [InlineData("#include other", "#include other", false)]
    public void IsIgnored_OnePattern(string pattern, string path, bool ignored)
        => Assert.Equal(ignored, new IgnoreMatcher([pattern]).IsIgnored(path));

    [Fact]
    public void IsIgnored_FirstMatchDecides()
    {
        var matcher = new IgnoreMatcher(["!keep.log", "*.log"]);

        Assert.False(matcher.IsIgnored("keep.log"));
        Assert.True(matcher.IsIgnored("other.log"));
        Assert.True(matcher.HasNegations);
        Assert.False(new IgnoreMatcher(["*.log"]).HasNegations);
    }

    [Theory]
    [InlineData(".stfolder", true)]
    [InlineData(".stfolder/syncthing-folder-1.txt", true)]
    [InlineData(".stversions/a.txt~20240101", true)]
    [InlineData(".stignore", true)]
    [InlineData("sub/.stignore", false)]
    [InlineData("sub/.syncthing.a.txt.tmp", true)]
    [InlineData("~syncthing~a.txt.tmp", true)]
    [InlineData(".syncthing.a.txt", false)]
    [InlineData("src/a.txt", false)]
    public void IsIgnored_SyncthingsOwnFiles_WithoutAnyPattern(string path, bool ignored)
        => Assert.Equal(ignored, new IgnoreMatcher([]).IsIgnored(path));

    [Theory]
    [InlineData("[abc")]
    [InlineData("{a,b")]
    public void New_UnclosedPattern_Throws(string pattern)
        => Assert.Throws<ArgumentException>(() => new IgnoreMatcher([pattern]));
}
