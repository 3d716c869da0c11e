using KSync.Syncthing.Scanning;

namespace KSync.Syncthing.Tests.Units;

public sealed class ScanPathsTests
{
    [Fact]
    public void Collapse_NestedPathsDropped()
        => Assert.Equal(["a", "a b/x", "c/d.txt"], ScanPaths.Collapse(["a/b/c.txt", "a", "a b/x", "c/d.txt", "a/z"]));

    [Fact]
    public void Collapse_TooMany_ParentsInstead()
    {
        var paths = Enumerable.Range(0, 500).Select(i => $"dir{i % 3}/sub/file{i}.txt");
        Assert.Equal(["dir0/sub", "dir1/sub", "dir2/sub"], ScanPaths.Collapse(paths, maxPaths: 10));
    }

    [Fact]
    public void Collapse_TooManyAtTheRoot_FullScan()
    {
        Assert.Null(ScanPaths.Collapse(Enumerable.Range(0, 20).Select(i => $"file{i}"), maxPaths: 5));
        Assert.Null(ScanPaths.Collapse(["a", "."]));
    }
}
