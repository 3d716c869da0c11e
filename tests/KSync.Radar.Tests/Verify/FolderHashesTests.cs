using Grpc.Core;
using KSync.Proto.Radar.V1;
using KSync.Radar.Verify;
using KSync.TestKit;

namespace KSync.Radar.Tests.Verify;

/// <summary>HashFolder's walk on real trees: confined to the folder, links reported and never followed, ignores applied.</summary>
public sealed class FolderHashesTests : IDisposable
{
    // SHA-256 of "abc" (FIPS 180-2, appendix B.1) and of nothing.
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private readonly TempDirectory _dir = new("ksync-hash");

    private string Folder => _dir.Combine("folder");

    private string Outside => _dir.Combine("outside");

    public FolderHashesTests()
    {
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "outside the folder");
        File.WriteAllText(Path.Combine(Outside, "deep.txt"), "also outside");
    }

    [Fact]
    public async Task Stream_LinksPointingOutside_AreReportedAsLinksAndNotFollowed()
    {
        File.WriteAllText(Path.Combine(Folder, "a.txt"), "abc");
        File.CreateSymbolicLink(Path.Combine(Folder, "to-file"), Path.Combine(Outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(Folder, "to-dir"), Outside);
        File.CreateSymbolicLink(Path.Combine(Folder, "relative"), "../outside/secret.txt");

        var entries = await StreamAsync([]);

        Assert.Equal(["a.txt", "relative", "to-dir", "to-file"], entries.Select(e => e.Path));
        Assert.Equal(new HashFolderEntry { Path = "a.txt", Type = HashEntryType.File, Size = 3, Sha256 = AbcSha256 }, entries[0]);
        Assert.Equal(new HashFolderEntry { Path = "relative", Type = HashEntryType.Symlink, LinkTarget = "../outside/secret.txt" }, entries[1]);
        Assert.Equal(new HashFolderEntry { Path = "to-dir", Type = HashEntryType.Symlink, LinkTarget = Outside }, entries[2]);
        Assert.Equal(new HashFolderEntry { Path = "to-file", Type = HashEntryType.Symlink, LinkTarget = Path.Combine(Outside, "secret.txt") }, entries[3]);
        Assert.DoesNotContain(entries, e => e.Path.Contains("deep", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_Tree_DepthFirstWithIgnoresAndSyncthingFilesLeftOut()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "src", "sub"));
        Directory.CreateDirectory(Path.Combine(Folder, "node_modules", "x"));
        Directory.CreateDirectory(Path.Combine(Folder, ".stfolder"));
        Directory.CreateDirectory(Path.Combine(Folder, ".stversions"));
        File.WriteAllText(Path.Combine(Folder, ".stversions", "old.txt"), "v");
        File.WriteAllText(Path.Combine(Folder, ".stignore"), "node_modules\n*.log\n");
        File.WriteAllText(Path.Combine(Folder, "src", "sub", "b.txt"), "abc");
        File.WriteAllText(Path.Combine(Folder, "src", "debug.log"), "log");
        File.WriteAllText(Path.Combine(Folder, "src", ".syncthing.b.txt.tmp"), "partial");
        File.WriteAllText(Path.Combine(Folder, "node_modules", "x", "i.js"), "ignored");
        File.WriteAllText(Path.Combine(Folder, "empty"), string.Empty);

        var entries = await StreamAsync(["node_modules", "*.log"]);

        Assert.Equal(["empty", "src", "src/sub", "src/sub/b.txt"], entries.Select(e => e.Path));
        Assert.Equal(EmptySha256, entries[0].Sha256);
        Assert.Equal(HashEntryType.Directory, entries[1].Type);
        Assert.Equal(AbcSha256, entries[3].Sha256);
    }

    [Fact]
    public async Task Stream_FolderThatIsALink_IsRefused()
    {
        var link = _dir.Combine("link");
        Directory.CreateSymbolicLink(link, Outside);

        var ex = await Assert.ThrowsAsync<RpcException>(() => FolderHashes.StreamAsync(link, [], _ => Task.CompletedTask, CancellationToken.None));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
    }

    [Fact]
    public async Task Stream_BadPattern_IsInvalidArgument()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => StreamAsync(["[unclosed"]));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
    }

    public void Dispose() => _dir.Dispose();

    private async Task<List<HashFolderEntry>> StreamAsync(string[] ignores)
    {
        var entries = new List<HashFolderEntry>();
        await FolderHashes.StreamAsync(Folder, ignores, e => { entries.Add(e); return Task.CompletedTask; }, CancellationToken.None);
        return entries;
    }
}
