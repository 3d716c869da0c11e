using KSync.Syncthing.Ignores;
using KSync.Syncthing.Folders;
using KSync.Syncthing.Tests.Fixtures;

namespace KSync.Syncthing.Tests.Folders;

/// <summary>Ignores on real syncthing: the user's .stignore, the root .gitignore, .git, applied on both sides.</summary>
public sealed class IgnoreTests(SyncthingPair pair) : IClassFixture<SyncthingPair>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StignoreGitignoreAndGit_AreNotSynced_UserFileKept()
    {
        var spec = pair.NewSpec();
        Files.Write(spec.LocalPath, ".stignore", "// mine\n*.secret\n");
        Files.Write(spec.LocalPath, ".gitignore", "# build output\nbin/\n*.log\n!keep.log\n/docs/*.tmp\n");
        Files.Write(spec.LocalPath, "app.secret", "no");
        Files.Write(spec.LocalPath, "bin/out.dll", "no");
        Files.Write(spec.LocalPath, "trace.log", "no");
        Files.Write(spec.LocalPath, "keep.log", "yes");
        Files.Write(spec.LocalPath, "docs/draft.tmp", "no");
        Files.Write(spec.LocalPath, "src/docs/other.tmp", "yes");
        Files.Write(spec.LocalPath, ".git/HEAD", "ref: refs/heads/main");
        Files.Write(spec.LocalPath, "main.cs", "yes");

        // The container already has a folder the local side ignores; the first sync must not delete it.
        Files.Write(spec.RemotePath, "bin/installed-in-image.dll", "from the image");

        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        await folder.WaitUntilInSyncAsync(Files.Timeout, Token);

        foreach (var synced in new[] { "keep.log", "src/docs/other.tmp", "main.cs", ".gitignore" })
        {
            Assert.True(File.Exists(Path.Combine(spec.RemotePath, synced)), synced + " should be synced");
        }

        foreach (var ignored in new[] { "app.secret", "bin/out.dll", "trace.log", "docs/draft.tmp", ".git/HEAD" })
        {
            Assert.False(File.Exists(Path.Combine(spec.RemotePath, ignored)), ignored + " should be ignored");
        }

        Assert.Equal("from the image", File.ReadAllText(Path.Combine(spec.RemotePath, "bin", "installed-in-image.dll")));

        // The user's lines stay first and untouched; ksync's block follows.
        var stignore = File.ReadAllLines(Path.Combine(spec.LocalPath, ".stignore"));
        Assert.Equal(["// mine", "*.secret", StignoreFile.BeginMarker], stignore.Take(3));

        // A remote-side change to an ignored path does not come back either.
        Files.Write(spec.RemotePath, "trace.log", "remote log");
        Files.Write(spec.RemotePath, "remote.txt", "comes back");
        await Files.WaitContentAsync(spec.LocalPath, "remote.txt", "comes back");
        Assert.Equal("no", File.ReadAllText(Path.Combine(spec.LocalPath, "trace.log")));

        // Teardown removes ksync's block and leaves the user's file as it was.
        await folder.TearDownAsync(Token);
        Assert.Equal("// mine\n*.secret\n", File.ReadAllText(Path.Combine(spec.LocalPath, ".stignore")));
        Assert.Null(await pair.Local.Client.GetFolderAsync(spec.FolderId, Token));
        Assert.Null(await pair.Remote.Client.GetFolderAsync(spec.FolderId, Token));
    }

    [Fact]
    public async Task GitDirectory_SyncedWhenSpecSaysSo_AndGitignoreEditAppliesLive()
    {
        var spec = pair.NewSpec(configure: s => s with { Ignores = new IgnoreSettings { IgnoreGitDirectory = false } });
        Files.Write(spec.LocalPath, ".git/HEAD", "ref: refs/heads/main");
        await using var folder = pair.NewFolder(spec);
        await folder.SetUpAsync(SetUpMode.FirstSync, Token);
        await Files.WaitContentAsync(spec.RemotePath, ".git/HEAD", "ref: refs/heads/main");

        // Without a .stignore of the user, ksync's file holds only its block, and is gone after teardown.
        Files.Write(spec.LocalPath, ".gitignore", "*.cache\n");
        await KSync.TestKit.Eventually.TrueAsync(
            async () => (await pair.Remote.Client.GetIgnoresAsync(spec.FolderId, Token)).Ignore?.Contains("*.cache") == true,
            Files.Timeout,
            "the remote to receive the new .gitignore pattern");
        Files.Write(spec.LocalPath, "x.cache", "ignored");
        Files.Write(spec.LocalPath, "y.txt", "synced");
        await Files.WaitContentAsync(spec.RemotePath, "y.txt", "synced");
        Assert.False(File.Exists(Path.Combine(spec.RemotePath, "x.cache")));

        await folder.TearDownAsync(Token);
        Assert.False(File.Exists(Path.Combine(spec.LocalPath, ".stignore")));
    }
}
