using System.Diagnostics;
using KSync.Syncthing.Processes;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Units;

public sealed class PidFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("ksync-pid");

    [Fact]
    public void Acquire_OtherLiveProcessHoldsIt_ErrorNamesItsPid()
    {
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var path = _dir.Combine("syncthing.pid");
            File.WriteAllText(path, $"{other.Id} {other.StartTime.ToUniversalTime().Ticks}\n");

            var error = Assert.Throws<SyncthingException>(() => PidFile.Acquire(path, "The local syncthing of X"));

            Assert.Contains($"PID {other.Id}", error.Message, StringComparison.Ordinal);
            Assert.Contains($"kill {other.Id}", error.Hint, StringComparison.Ordinal);
            Assert.StartsWith($"{other.Id} ", File.ReadAllText(path), StringComparison.Ordinal);
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void Acquire_PidReusedByAnotherProcess_TreatedAsStale()
    {
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var path = _dir.Combine("syncthing.pid");

            // Same PID, but the recorded start time is an hour earlier: not the process that wrote the file.
            File.WriteAllText(path, $"{other.Id} {other.StartTime.ToUniversalTime().AddHours(-1).Ticks}\n");

            using var held = PidFile.Acquire(path, "X");
            Assert.StartsWith($"{Environment.ProcessId} ", File.ReadAllText(path), StringComparison.Ordinal);
            Assert.False(other.HasExited);
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void Acquire_StaleFileWithOrphanedChild_ChildStoppedFileTaken()
    {
        using var orphan = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var path = _dir.Combine("syncthing.pid");
        File.WriteAllText(path, $"999999 0\n{orphan.Id} {orphan.StartTime.ToUniversalTime().Ticks}\n");

        using (var held = PidFile.Acquire(path, "X"))
        {
            Assert.True(orphan.WaitForExit(5000));
            held.RecordChild(Process.GetCurrentProcess());
            Assert.Equal(2, File.ReadAllLines(path).Length);
        }

        Assert.False(File.Exists(path));
    }

    public void Dispose() => _dir.Dispose();
}
