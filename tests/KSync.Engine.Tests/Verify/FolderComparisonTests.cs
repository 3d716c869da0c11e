using KSync.Engine.Verify;
using KSync.Syncthing.Verify;

namespace KSync.Engine.Tests.Verify;

public sealed class FolderComparisonTests
{
    private const string HashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string HashB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public void Compare_SameEntries_NoDifference()
    {
        FolderEntry[] side = [Dir("src"), File("src/a.txt", 3, HashA), Link("cur", "src")];

        Assert.Empty(FolderComparison.Compare(side, [.. side.Reverse()]));
    }

    [Fact]
    public void Compare_EachKindOfDifference_InPathOrder()
    {
        FolderEntry[] local = [File("same.txt", 3, HashA), File("content.txt", 3, HashA), File("size.txt", 3, HashA), File("only-local.txt", 1, HashA), Dir("was-dir"), Link("link", "a")];
        FolderEntry[] node = [File("same.txt", 3, HashA), File("content.txt", 3, HashB), File("size.txt", 4, HashA), Dir("only-node"), File("was-dir", 1, HashA), Link("link", "b")];

        var differences = FolderComparison.Compare(local, node);

        Assert.Equal(
            [
                ("content.txt", DifferenceKind.Content, "content"),
                ("link", DifferenceKind.Content, "content"),
                ("only-local.txt", DifferenceKind.MissingOnNode, "missing on node"),
                ("only-node", DifferenceKind.MissingLocally, "missing locally"),
                ("size.txt", DifferenceKind.Content, "content"),
                ("was-dir", DifferenceKind.Type, "type"),
            ],
            differences.Select(d => (d.Path, d.Kind, d.KindText)));
        Assert.Equal("same size, SHA-256 aaaaaaaaaaaa locally, bbbbbbbbbbbb on the node", differences[0].Detail);
        Assert.Equal("link to 'a' locally, to 'b' on the node", differences[1].Detail);
        Assert.Equal("size 3 bytes locally, 4 on the node", differences[4].Detail);
        Assert.Equal("a directory locally, a file on the node", differences[5].Detail);
    }

    [Fact]
    public void Compare_HashCaseDoesNotMatter()
        => Assert.Empty(FolderComparison.Compare([File("a", 1, "ABCDEF")], [File("a", 1, "abcdef")]));

    [Fact]
    public void Compare_PathListedTwice_Throws()
        => Assert.Throws<ArgumentException>(() => FolderComparison.Compare([File("a", 1, HashA), File("a", 1, HashA)], []));

    private static FolderEntry File(string path, long size, string sha) => new(path, FolderEntryKind.File, size, sha, string.Empty);

    private static FolderEntry Dir(string path) => new(path, FolderEntryKind.Directory, 0, string.Empty, string.Empty);

    private static FolderEntry Link(string path, string target) => new(path, FolderEntryKind.Symlink, 0, string.Empty, target);
}
