using KSync.Syncthing.Folders;
using KSync.Syncthing.Tests.Fixtures;
using KSync.Syncthing.Tests.Processes;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Folders;

/// <summary>A syncthing killed in the middle of a sync comes back and the sync finishes; the fast path works alone.</summary>
public sealed class ResilienceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LocalSyncthingKilledMidSync_RestartsAndSyncFinishes()
    {
        await using var pair = new SyncthingPair();
        await pair.InitializeAsync();
        var spec = pair.NewSpec();
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pair.Local.Process.Restarted += (_, _) => restarted.TrySetResult();

        for (var d = 0; d < 20; d++)
        {
            for (var f = 0; f < 100; f++)
            {
                Files.Write(spec.LocalPath, $"d{d:00}/f{f:000}.txt", $"content {d}/{f}");
            }
        }

        var big = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(spec.LocalPath, "big.bin"), big, Token);

        // Kill as soon as the remote started receiving: the sync is in flight.
        await Eventually.TrueAsync(
            () => Task.FromResult(Directory.Exists(spec.RemotePath) && Directory.EnumerateFileSystemEntries(spec.RemotePath, "d*").Any()),
            Files.Timeout,
            "the remote to start receiving",
            pollInterval: TimeSpan.FromMilliseconds(5));
        SyncthingProcessTests.Kill(pair.Local.Process.Pid!.Value);

        await restarted.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
        await folder.ReapplyAsync(Token);
        try
        {
            await folder.WaitUntilInSyncAsync(TimeSpan.FromMinutes(2), Token);
        }
        catch (SyncthingException)
        {
            TestContext.Current.TestOutputHelper!.WriteLine(string.Join('\n', File.ReadAllLines(pair.Local.Options.LogFilePath).TakeLast(60)));
            TestContext.Current.TestOutputHelper!.WriteLine("trigger scans: " + folder.Trigger!.ScanCount);
            throw;
        }

        Assert.Equal(2000, Directory.GetFiles(spec.RemotePath, "f*.txt", SearchOption.AllDirectories).Length);
        Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(spec.RemotePath, "big.bin"), Token));
        Assert.Equal(1, pair.Local.Process.RestartCount);
    }

    [Fact]
    public async Task FastPath_SyncthingWatcherSlow_ChangeStillArrivesThroughTargetedScan()
    {
        await using var pair = new SyncthingPair();
        await pair.InitializeAsync();

        // syncthing's own watcher waits 120 s: only ksync's scan trigger can deliver within the 30 s timeout.
        var spec = pair.NewSpec(configure: s => s with { WatcherDelay = TimeSpan.FromSeconds(120) });
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        Assert.NotNull(folder.Trigger);

        Files.Write(spec.LocalPath, "fast.txt", "via the scan trigger");
        Files.Write(spec.LocalPath, "new/dir/deep.txt", "in a new folder");
        await Files.WaitContentAsync(spec.RemotePath, "fast.txt", "via the scan trigger");
        await Files.WaitContentAsync(spec.RemotePath, "new/dir/deep.txt", "in a new folder");
        File.Delete(Path.Combine(spec.LocalPath, "fast.txt"));
        await Files.WaitGoneAsync(spec.RemotePath, "fast.txt");

        Assert.True(folder.Trigger!.ScanCount >= 2);
        Assert.Equal(120, (await pair.Local.Client.GetFolderAsync(spec.FolderId, Token))!.FsWatcherDelayS);
    }
}
