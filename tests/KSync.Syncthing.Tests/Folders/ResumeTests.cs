using KSync.Syncthing.Client;
using KSync.Syncthing.Folders;
using KSync.Syncthing.Tests.Fixtures;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Folders;

/// <summary>
/// The resume rule (docs/architecture.md) on real syncthing: a folder both sides synced before keeps its folder ID;
/// what changed on either side while they were apart is exchanged and merged, a file changed on both keeps a conflict
/// copy, nothing is reverted in two-way mode.
/// </summary>
public sealed class ResumeTests(SyncthingPair pair) : IClassFixture<SyncthingPair>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BothSidesChangedWhileApart_Resume_MergesWithConflictCopyAndNothingLost()
    {
        var spec = pair.NewSpec(SyncDirection.TwoWay);
        foreach (var name in new[] { "keep.txt", "local-edit.txt", "local-delete.txt", "remote-edit.txt", "remote-delete.txt", "both.txt" })
        {
            Files.Write(spec.LocalPath, name, "base " + name);
        }

        await using (var first = pair.NewFolder(spec))
        {
            await first.SetUpAsync(SetUpMode.FirstSync, Token);
            await first.WaitUntilInSyncAsync(Files.Timeout, Token);
        }

        // Apart: both folders paused (as when watch is stopped or the link is down), each side changes files.
        await pair.Local.Client.PatchFolderAsync(spec.FolderId, new FolderConfiguration { Paused = true }, Token);
        await pair.Remote.Client.PatchFolderAsync(spec.FolderId, new FolderConfiguration { Paused = true }, Token);
        Files.Write(spec.LocalPath, "local-new.txt", "new on local");
        Files.Write(spec.LocalPath, "local-edit.txt", "edited on local");
        File.Delete(Path.Combine(spec.LocalPath, "local-delete.txt"));
        Files.Write(spec.RemotePath, "remote-new.txt", "new in the container");
        Files.Write(spec.RemotePath, "remote-edit.txt", "edited in the container");
        File.Delete(Path.Combine(spec.RemotePath, "remote-delete.txt"));
        Files.Write(spec.LocalPath, "both.txt", "both: local");
        Files.Write(spec.RemotePath, "both.txt", "both: container");
        File.SetLastWriteTimeUtc(Path.Combine(spec.RemotePath, "both.txt"), DateTime.UtcNow.AddMinutes(1));

        await using var resumed = pair.NewFolder(spec);
        await resumed.SetUpAsync(SetUpMode.Resume, Token);

        foreach (var side in new[] { spec.LocalPath, spec.RemotePath })
        {
            await Files.WaitContentAsync(side, "local-new.txt", "new on local");
            await Files.WaitContentAsync(side, "remote-new.txt", "new in the container");
            await Files.WaitContentAsync(side, "local-edit.txt", "edited on local");
            await Files.WaitContentAsync(side, "remote-edit.txt", "edited in the container");
            await Files.WaitGoneAsync(side, "local-delete.txt");
            await Files.WaitGoneAsync(side, "remote-delete.txt");
            await Files.WaitContentAsync(side, "keep.txt", "base keep.txt");
            await Eventually.TrueAsync(
                () =>
                {
                    var contents = Files.ConflictCopies(side, "both.txt").Select(File.ReadAllText).Append(File.ReadAllText(Path.Combine(side, "both.txt"))).ToHashSet();
                    return Task.FromResult(contents.SetEquals(["both: local", "both: container"]));
                },
                Files.Timeout,
                $"both versions of both.txt in {side}");
        }

        Assert.Equal(FolderType.SendReceive, (await pair.Remote.Client.GetFolderAsync(spec.FolderId, Token))!.Type);
    }

    [Fact]
    public async Task NodeLostItsDatabase_ResumeWithTheNewNodeSyncthing_FilesMergeAndTheContainersStay()
    {
        var spec = pair.NewSpec(SyncDirection.TwoWay);
        Files.Write(spec.LocalPath, "a.txt", "synced");
        await using (var first = pair.NewFolder(spec))
        {
            await first.SetUpAsync(SetUpMode.FirstSync, Token);
            await first.WaitUntilInSyncAsync(Files.Timeout, Token);
        }

        // The node syncthing's home is lost: a new syncthing (new device ID, no database) serves the same node files,
        // which the app changed meanwhile.
        await pair.Remote.Client.RemoveFolderAsync(spec.FolderId, Token);
        await using var reborn = await SyncthingNode.StartAsync("node-reborn", Token);
        await KSync.Syncthing.Devices.DevicePairing.PairAsync(pair.Local.Endpoint, reborn.Endpoint, reborn.Process.ListenAddress, null, Token);
        Files.Write(spec.RemotePath, "written-by-the-app.txt", "app output");
        Files.Write(spec.LocalPath, "b.txt", "new local file");

        await using var resumed = new SharedFolder(spec, pair.Local.Endpoint, reborn.Endpoint);
        await resumed.SetUpAsync(SetUpMode.Resume, Token);

        await Files.WaitContentAsync(spec.LocalPath, "written-by-the-app.txt", "app output");
        await Files.WaitContentAsync(spec.RemotePath, "b.txt", "new local file");
        await resumed.WaitUntilInSyncAsync(Files.Timeout, Token);
        Assert.Equal("app output", File.ReadAllText(Path.Combine(spec.RemotePath, "written-by-the-app.txt")));
        Assert.Equal("synced", File.ReadAllText(Path.Combine(spec.RemotePath, "a.txt")));
        Assert.Equal("synced", File.ReadAllText(Path.Combine(spec.LocalPath, "a.txt")));
    }

    [Fact]
    public async Task LocalReadOnly_Resume_TheContainersOwnChangesAreReverted()
    {
        var spec = pair.NewSpec(SyncDirection.LocalReadOnly);
        Files.Write(spec.LocalPath, "a.txt", "from local");
        await using (var first = pair.NewFolder(spec))
        {
            await first.SetUpAsync(SetUpMode.FirstSync, Token);
            await first.WaitUntilInSyncAsync(Files.Timeout, Token);
        }

        Files.Write(spec.RemotePath, "a.txt", "changed in the container");
        Files.Write(spec.RemotePath, "extra.txt", "container only");
        Files.Write(spec.LocalPath, "b.txt", "new local file");

        await using var resumed = pair.NewFolder(spec);
        await resumed.SetUpAsync(SetUpMode.Resume, Token);

        await Files.WaitContentAsync(spec.RemotePath, "a.txt", "from local");
        await Files.WaitGoneAsync(spec.RemotePath, "extra.txt");
        await Files.WaitContentAsync(spec.RemotePath, "b.txt", "new local file");
        Assert.Equal("from local", File.ReadAllText(Path.Combine(spec.LocalPath, "a.txt")));
        Assert.False(File.Exists(Path.Combine(spec.LocalPath, "extra.txt")));
    }
}
