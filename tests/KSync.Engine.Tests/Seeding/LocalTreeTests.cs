using KSync.Engine.Seeding;
using KSync.Syncthing.Ignores;

namespace KSync.Engine.Tests.Seeding;

/// <summary>The local walk on a real directory.</summary>
public sealed class LocalTreeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ksync-tree-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Walk_DirectoriesBeforeTheirContent_InNameOrder_IgnoredLeftOut()
    {
        Write("b/z.txt", "z");
        Write("b/a/deep.txt", "d");
        Write("a.txt", "a");
        Write("node_modules/x.js", "x");
        Write("app.log", "l");
        Write(".stignore", "node_modules\n*.log\n");
        Write("c/.syncthing.half.tmp", "t");

        var paths = LocalTree.Walk(_root, new IgnoreMatcher(["node_modules", "*.log"])).Select(i => i.Path).ToList();

        Assert.Equal(["a.txt", "b", "c", "b/a", "b/z.txt", "b/a/deep.txt"], paths);
    }

    [Fact]
    public void Walk_ModesSizesNanosecondMtimesAndSafeLinksOnly()
    {
        Write("run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(_root, "run.sh"), (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(Path.Combine(_root, "inside"), "run.sh");
        File.CreateSymbolicLink(Path.Combine(_root, "absolute"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(_root, "climbing"), "../outside");
        using (var fifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(_root, "fifo")))
        {
            fifo.WaitForExit();
        }

        var items = LocalTree.Walk(_root, new IgnoreMatcher([])).ToDictionary(i => i.Path);

        Assert.Equal(["inside", "run.sh"], items.Keys.Order(StringComparer.Ordinal));
        var run = items["run.sh"];
        Assert.Equal((SeedKind.File, (UnixFileMode)0x1ED, 10L), (run.Kind, run.Mode, run.Size));
        var ticks = File.GetLastWriteTimeUtc(Path.Combine(_root, "run.sh")).Ticks - DateTime.UnixEpoch.Ticks;
        Assert.Equal(ticks / TimeSpan.TicksPerSecond, run.MtimeSeconds);
        Assert.Equal(ticks % TimeSpan.TicksPerSecond, run.MtimeNanos / 100);
        Assert.Equal((SeedKind.Symlink, "run.sh"), (items["inside"].Kind, items["inside"].LinkTarget));
    }

    [Theory]
    [InlineData("l", "a", true)]
    [InlineData("d/l", "../a", true)]
    [InlineData("l", "../a", false)]
    [InlineData("d/l", "../../a", false)]
    [InlineData("l", "/a", false)]
    public void StaysInside(string link, string target, bool inside)
    {
        Assert.Equal(inside, LocalTree.StaysInside(link, target));
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
