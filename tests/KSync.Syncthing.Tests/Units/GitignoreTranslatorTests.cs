using KSync.Syncthing.Ignores;

namespace KSync.Syncthing.Tests.Units;

public sealed class GitignoreTranslatorTests
{
    [Theory]
    [InlineData("*.log", "*.log")]
    [InlineData("bin/", "bin")]
    [InlineData("/build", "/build")]
    [InlineData("/build/", "/build")]
    [InlineData("doc/*.txt", "/doc/*.txt")]
    [InlineData("**/node_modules", "**/node_modules")]
    [InlineData("**/cache/", "**/cache")]
    [InlineData("a/**/b", "/a/**/b")]
    [InlineData("!keep.log", "!keep.log")]
    [InlineData("!/docs/keep.md", "!/docs/keep.md")]
    [InlineData("\\#notacomment", "#notacomment")]
    [InlineData("file[^0-9].txt", "file[!0-9].txt")]
    [InlineData("trailing   ", "trailing")]
    [InlineData("escaped\\ ", "escaped ")]
    public void TranslateLine_Patterns(string gitignore, string syncthing)
        => Assert.Equal(syncthing, GitignoreTranslator.TranslateLine(gitignore));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("# a comment")]
    [InlineData("/")]
    [InlineData("\\#include other")]
    public void TranslateLine_NoPattern_Null(string gitignore) => Assert.Null(GitignoreTranslator.TranslateLine(gitignore));

    [Fact]
    public void Translate_ReversesOrder_SoFirstMatchEqualsGitsLastMatch()
        => Assert.Equal(["!important.log", "*.log", "/tmp"], GitignoreTranslator.Translate(["# logs", "/tmp/", "*.log", "!important.log", ""]));
}
