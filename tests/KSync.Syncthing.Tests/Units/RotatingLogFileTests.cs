using KSync.Syncthing.Processes;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Units;

public sealed class RotatingLogFileTests
{
    [Fact]
    public void WriteLine_PastMaxBytes_RotatesAndKeepsTail()
    {
        using var dir = new TempDirectory("ksync-log");
        var path = dir.Combine("syncthing.log");
        using (var log = new RotatingLogFile(path, maxBytes: 1000, keep: 2))
        {
            for (var i = 0; i < 100; i++)
            {
                log.WriteLine($"line {i:000} " + new string('x', 40));
            }

            Assert.Equal(["line 098 " + new string('x', 40), "line 099 " + new string('x', 40)], log.Tail(2));
        }

        Assert.True(File.Exists(path + ".1"));
        Assert.True(File.Exists(path + ".2"));
        Assert.False(File.Exists(path + ".3"));
        Assert.True(new FileInfo(path).Length <= 1000);
        Assert.EndsWith("line 099 " + new string('x', 40) + "\n", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
