using KSync.Syncthing.Client;
using KSync.Syncthing.Folders;
using KSync.Syncthing.Tests.Fixtures;

namespace KSync.Syncthing.Tests.Folders;

/// <summary>Folder semantics on two real syncthings: directions, deletes, renames, big and many files.</summary>
public sealed class SharedFolderTests(SyncthingPair pair) : IClassFixture<SyncthingPair>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoWay_ChangesOnEitherSide_ArriveOnTheOther()
    {
        var spec = pair.NewSpec(SyncDirection.TwoWay);
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);

        Files.Write(spec.LocalPath, "from-local.txt", "hello from local");
        await Files.WaitContentAsync(spec.RemotePath, "from-local.txt", "hello from local");

        Files.Write(spec.RemotePath, "sub/from-remote.txt", "hello from remote");
        await Files.WaitContentAsync(spec.LocalPath, "sub/from-remote.txt", "hello from remote");

        var types = (await pair.Local.Client.GetFolderAsync(spec.FolderId, Token))!.Type;
        var remoteType = (await pair.Remote.Client.GetFolderAsync(spec.FolderId, Token))!.Type;
        Assert.Equal((FolderType.SendReceive, FolderType.SendReceive), (types, remoteType));
    }

    [Fact]
    public async Task RemoteCopiesOwner_WhatTheRemoteCreatesTakesItsParentsOwner_ElseItsOwn()
    {
        // syncthing 1.19's copyOwnershipFromParent, measured: on with the root owned 1000:2000, every file and directory
        // the remote creates (nested too) is 1000:2000; off, they are the remote syncthing's (root's here).
        KSync.TestKit.Requires.Root();
        var copying = pair.NewSpec(configure: s => s with { RemoteCopiesOwner = true });
        var plain = pair.NewSpec();
        foreach (var spec in new[] { copying, plain })
        {
            Directory.CreateDirectory(spec.RemotePath);
            var chown = await KSync.TestKit.ProcessRunner.RunAsync("chown", ["1000:2000", spec.RemotePath], cancellationToken: Token);
            Assert.True(chown.ExitCode == 0, chown.Output);
            Files.Write(spec.LocalPath, "a.txt", "a");
            Files.Write(spec.LocalPath, "sub/deeper/b.txt", "b");
            await using var folder = pair.NewFolder(spec);
            await folder.SetUpAsync(SetUpMode.FirstSync, Token);
            Files.Write(spec.LocalPath, "sub/later.txt", "later");
            await Files.WaitContentAsync(spec.RemotePath, "sub/later.txt", "later");
        }

        Assert.True((await pair.Remote.Client.GetFolderAsync(copying.FolderId, Token))!.CopyOwnershipFromParent);
        foreach (var (spec, owner) in new[] { (copying, "1000:2000"), (plain, "0:0") })
        {
            var paths = new[] { "a.txt", "sub", "sub/deeper", "sub/deeper/b.txt", "sub/later.txt" }.Select(p => Path.Combine(spec.RemotePath, p));
            var stat = await KSync.TestKit.ProcessRunner.RunAsync("stat", ["-c", "%u:%g %n", .. paths], cancellationToken: Token);
            Assert.True(stat.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).All(l => l.StartsWith(owner + " ", StringComparison.Ordinal)), $"expected {owner}:\n{stat.Stdout}");
        }
    }

    [Fact]
    public async Task LocalReadOnly_LocalChangesGoOut_RemoteChangesStayRemote()
    {
        var spec = pair.NewSpec(SyncDirection.LocalReadOnly);
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        Assert.Equal(FolderType.SendOnly, (await pair.Local.Client.GetFolderAsync(spec.FolderId, Token))!.Type);
        Assert.Equal(FolderType.ReceiveOnly, (await pair.Remote.Client.GetFolderAsync(spec.FolderId, Token))!.Type);

        Files.Write(spec.LocalPath, "a.txt", "local v1");
        await Files.WaitContentAsync(spec.RemotePath, "a.txt", "local v1");

        Files.Write(spec.RemotePath, "a.txt", "remote edit");
        Files.Write(spec.RemotePath, "remote-only.txt", "remote new");
        await pair.Remote.Client.ScanAsync(spec.FolderId, null, Token);
        await pair.Local.Client.ScanAsync(spec.FolderId, null, Token);

        // The remote's changes are kept aside there (receive-only changes) and never reach the local side.
        await KSync.TestKit.Eventually.TrueAsync(
            async () => (await pair.Remote.Client.GetFolderStatusAsync(spec.FolderId, Token)).ReceiveOnlyChangedFiles >= 2,
            Files.Timeout,
            "the remote to count its own edits as receive-only changes");
        Assert.Equal("local v1", File.ReadAllText(Path.Combine(spec.LocalPath, "a.txt")));
        Assert.False(File.Exists(Path.Combine(spec.LocalPath, "remote-only.txt")));
    }

    [Fact]
    public async Task RemoteReadOnly_RemoteChangesComeIn_LocalChangesStayLocal()
    {
        var spec = pair.NewSpec(SyncDirection.RemoteReadOnly);
        Files.Write(spec.LocalPath, "seed.txt", "seeded from local");
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        Assert.Equal(FolderType.ReceiveOnly, (await pair.Local.Client.GetFolderAsync(spec.FolderId, Token))!.Type);
        Assert.Equal(FolderType.SendOnly, (await pair.Remote.Client.GetFolderAsync(spec.FolderId, Token))!.Type);
        Assert.Equal("seeded from local", File.ReadAllText(Path.Combine(spec.RemotePath, "seed.txt")));

        Files.Write(spec.RemotePath, "generated.txt", "made in the container");
        await Files.WaitContentAsync(spec.LocalPath, "generated.txt", "made in the container");

        Files.Write(spec.LocalPath, "local-only.txt", "stays here");
        await pair.Local.Client.ScanAsync(spec.FolderId, null, Token);
        await KSync.TestKit.Eventually.TrueAsync(
            async () => (await pair.Local.Client.GetFolderStatusAsync(spec.FolderId, Token)).ReceiveOnlyChangedFiles >= 1,
            Files.Timeout,
            "the local side to hold its edit as a receive-only change");
        Assert.False(File.Exists(Path.Combine(spec.RemotePath, "local-only.txt")));
    }

    [Fact]
    public async Task Delete_OnLocalSide_RemovesRemoteFile()
    {
        var spec = pair.NewSpec();
        Files.Write(spec.LocalPath, "doomed.txt", "bye");
        Files.Write(spec.LocalPath, "dir/inner.txt", "bye too");
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        Assert.True(File.Exists(Path.Combine(spec.RemotePath, "doomed.txt")));

        File.Delete(Path.Combine(spec.LocalPath, "doomed.txt"));
        Directory.Delete(Path.Combine(spec.LocalPath, "dir"), recursive: true);

        await Files.WaitGoneAsync(spec.RemotePath, "doomed.txt");
        await Files.WaitGoneAsync(spec.RemotePath, "dir");
    }

    [Fact]
    public async Task Rename_OnLocalSide_MovesRemoteFile()
    {
        var spec = pair.NewSpec();
        Files.Write(spec.LocalPath, "old-name.txt", "same content");
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);

        Directory.CreateDirectory(Path.Combine(spec.LocalPath, "moved"));
        File.Move(Path.Combine(spec.LocalPath, "old-name.txt"), Path.Combine(spec.LocalPath, "moved", "new-name.txt"));

        await Files.WaitContentAsync(spec.RemotePath, "moved/new-name.txt", "same content");
        await Files.WaitGoneAsync(spec.RemotePath, "old-name.txt");
    }

    [Fact]
    public async Task LargeFile_20MB_ArrivesIntact()
    {
        var spec = pair.NewSpec();
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);

        var data = new byte[20 * 1024 * 1024];
        new Random(42).NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(spec.LocalPath, "big.bin"), data, Token);
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data));

        var remote = Path.Combine(spec.RemotePath, "big.bin");
        await KSync.TestKit.Eventually.TrueAsync(
            () => Task.FromResult(File.Exists(remote) && new FileInfo(remote).Length == data.Length
                && Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(remote))) == expected),
            TimeSpan.FromSeconds(60),
            "the 20 MB file on the remote with the same SHA-256",
            pollInterval: TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ManySmallFiles_10000_AllArrive()
    {
        var spec = pair.NewSpec();
        for (var d = 0; d < 100; d++)
        {
            var dir = Path.Combine(spec.LocalPath, $"d{d:000}");
            Directory.CreateDirectory(dir);
            for (var f = 0; f < 100; f++)
            {
                File.WriteAllText(Path.Combine(dir, $"f{f:000}.txt"), $"file {d}/{f}");
            }
        }

        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        await folder.WaitUntilInSyncAsync(TimeSpan.FromMinutes(2), Token);

        var remoteFiles = Directory.GetFiles(spec.RemotePath, "f*.txt", SearchOption.AllDirectories);
        Assert.Equal(10_000, remoteFiles.Length);
        Assert.Equal("file 42/7", File.ReadAllText(Path.Combine(spec.RemotePath, "d042", "f007.txt")));
    }
}
