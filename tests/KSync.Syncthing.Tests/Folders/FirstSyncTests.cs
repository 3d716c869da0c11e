using KSync.Syncthing.Client;
using KSync.Syncthing.Folders;
using KSync.Syncthing.Tests.Fixtures;
using KSync.TestKit;

namespace KSync.Syncthing.Tests.Folders;

/// <summary>The first-sync rule (docs/architecture.md) on real syncthing: a new remote never replaces local files; conflicts keep both versions.</summary>
public sealed class FirstSyncTests(SyncthingPair pair) : IClassFixture<SyncthingPair>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("TwoWay")]
    [InlineData("LocalReadOnly")]
    [InlineData("RemoteReadOnly")]
    public async Task NewRemote_WithDifferingAndExtraFiles_LocalStateWins(string directionName)
    {
        var direction = Enum.Parse<SyncDirection>(directionName);
        var spec = pair.NewSpec(direction);
        Files.Write(spec.LocalPath, "shared.txt", "LOCAL version");
        Files.Write(spec.LocalPath, "local-only/a.txt", "only local");
        Files.Write(spec.RemotePath, "shared.txt", "REMOTE version, newer and longer than the local one");
        Files.Write(spec.RemotePath, "remote-only.txt", "only remote");

        // The remote's copy is newer: syncthing's own conflict rule would let it win.
        File.SetLastWriteTimeUtc(Path.Combine(spec.LocalPath, "shared.txt"), DateTime.UtcNow.AddHours(-2));
        File.SetLastWriteTimeUtc(Path.Combine(spec.RemotePath, "shared.txt"), DateTime.UtcNow.AddMinutes(-1));

        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);

        // Local files untouched; no remote file made it to the local side, not even as a conflict copy.
        Assert.Equal("LOCAL version", File.ReadAllText(Path.Combine(spec.LocalPath, "shared.txt")));
        Assert.False(File.Exists(Path.Combine(spec.LocalPath, "remote-only.txt")));
        Assert.Empty(Files.ConflictCopies(spec.LocalPath, "shared.txt"));

        // The remote now holds the local state.
        Assert.Equal("LOCAL version", File.ReadAllText(Path.Combine(spec.RemotePath, "shared.txt")));
        Assert.Equal("only local", File.ReadAllText(Path.Combine(spec.RemotePath, "local-only", "a.txt")));
        Assert.False(File.Exists(Path.Combine(spec.RemotePath, "remote-only.txt")));

        // And each side then has its configured type.
        var types = FolderTypes.For(direction);
        Assert.Equal(types.Local, (await pair.Local.Client.GetFolderAsync(spec.FolderId, Token))!.Type);
        Assert.Equal(types.Remote, (await pair.Remote.Client.GetFolderAsync(spec.FolderId, Token))!.Type);
        Assert.False(folder.IsSeeding);

        // A while later still nothing of the remote's came back.
        await pair.Local.Client.ScanAsync(spec.FolderId, null, Token);
        await pair.Remote.Client.ScanAsync(spec.FolderId, null, Token);
        await folder.WaitUntilInSyncAsync(Files.Timeout, Token);
        Assert.Equal("LOCAL version", File.ReadAllText(Path.Combine(spec.LocalPath, "shared.txt")));
        Assert.False(File.Exists(Path.Combine(spec.LocalPath, "remote-only.txt")));
    }

    [Fact]
    public async Task RemoteAlreadyHoldsTheFolder_FirstSyncAgain_LocalStateStillWins()
    {
        // A first sync that was interrupted left the folder on the remote, receiveonly as a first sync starts it, with
        // the image's files in it.
        var spec = pair.NewSpec(SyncDirection.TwoWay);
        Files.Write(spec.LocalPath, "a.txt", "local");
        Files.Write(spec.RemotePath, "a.txt", "image content, newer");
        Files.Write(spec.RemotePath, "image-only.txt", "from the image");
        File.SetLastWriteTimeUtc(Path.Combine(spec.RemotePath, "a.txt"), DateTime.UtcNow.AddMinutes(-1));
        File.SetLastWriteTimeUtc(Path.Combine(spec.LocalPath, "a.txt"), DateTime.UtcNow.AddHours(-1));
        await pair.Remote.Client.AddFolderAsync(new FolderConfiguration { Id = spec.FolderId, Path = spec.RemotePath, Type = FolderType.ReceiveOnly, Devices = [new() { DeviceId = pair.Remote.Endpoint.DeviceId }, new() { DeviceId = pair.Local.Endpoint.DeviceId }] }, Token);
        await Eventually.TrueAsync(async () => (await pair.Remote.Client.GetFolderStatusAsync(spec.FolderId, Token)).LocalFiles == 2, Files.Timeout, "the remote to scan the image's files");

        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);

        Assert.Equal("local", File.ReadAllText(Path.Combine(spec.RemotePath, "a.txt")));
        Assert.False(File.Exists(Path.Combine(spec.RemotePath, "image-only.txt")));
        Assert.False(File.Exists(Path.Combine(spec.LocalPath, "image-only.txt")));
        Assert.Equal("local", File.ReadAllText(Path.Combine(spec.LocalPath, "a.txt")));
    }

    [Fact]
    public async Task Conflict_BothSidesEditWhileDisconnected_BothVersionsKept()
    {
        var spec = pair.NewSpec(SyncDirection.TwoWay);
        Files.Write(spec.LocalPath, "doc.txt", "base");
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        Assert.True((await pair.Local.Client.GetFolderAsync(spec.FolderId, Token))!.MaxConflicts > 0);

        await pair.Local.Client.PatchFolderAsync(spec.FolderId, new FolderConfiguration { Paused = true }, Token);
        await pair.Remote.Client.PatchFolderAsync(spec.FolderId, new FolderConfiguration { Paused = true }, Token);
        Files.Write(spec.LocalPath, "doc.txt", "local edit");
        Files.Write(spec.RemotePath, "doc.txt", "remote edit");
        File.SetLastWriteTimeUtc(Path.Combine(spec.RemotePath, "doc.txt"), DateTime.UtcNow.AddMinutes(1));
        await pair.Local.Client.PatchFolderAsync(spec.FolderId, new FolderConfiguration { Paused = false }, Token);
        await pair.Remote.Client.PatchFolderAsync(spec.FolderId, new FolderConfiguration { Paused = false }, Token);

        // Both edits survive on both sides: one as doc.txt, the other as a conflict copy.
        foreach (var side in new[] { spec.LocalPath, spec.RemotePath })
        {
            await KSync.TestKit.Eventually.TrueAsync(
                () =>
                {
                    var copies = Files.ConflictCopies(side, "doc.txt");
                    var contents = copies.Select(File.ReadAllText).Append(File.ReadAllText(Path.Combine(side, "doc.txt"))).ToHashSet();
                    return Task.FromResult(contents.SetEquals(["local edit", "remote edit"]));
                },
                Files.Timeout,
                $"both versions of doc.txt in {side}");
        }
    }
}
