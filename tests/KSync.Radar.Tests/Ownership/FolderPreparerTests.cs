using Grpc.Core;
using KSync.Radar.Ownership;
using KSync.TestKit;

namespace KSync.Radar.Tests.Ownership;

/// <summary>The preparer on real directories (this test process is the "container's main process": root here).</summary>
public sealed class FolderPreparerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ksync-owner-").FullName;
    private readonly FolderPreparer _preparer = new("/proc");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Prepare_MissingFolderUnderASetgidVolume_CreatesEachLevelOwnedWithTheLocalModeAndSetgid()
    {
        Requires.Root();
        var volume = Path.Combine(_root, "volume");
        Directory.CreateDirectory(volume);
        Assert.Null(FileOwnership.TryChown(volume, new FileOwner(0, 2000)));
        File.SetUnixFileMode(volume, (UnixFileMode)0x5FF); // 2777, as the kubelet leaves an fsGroup emptyDir
        var folder = Path.Combine(volume, "src", "app");

        var prepared = _preparer.Prepare(folder, Environment.ProcessId, 1000, null, (UnixFileMode)0x1ED, dryRun: false);

        Assert.Equal([Path.Combine(volume, "src"), folder], prepared.Created);
        Assert.Null(prepared.ChownError);
        foreach (var path in prepared.Created)
        {
            var facts = FileOwnership.TryStatDirectory(path)!.Value;
            Assert.Equal(new FileOwner(1000, 2000), facts.Owner);
            Assert.Equal((UnixFileMode)0x5ED, facts.Mode); // 2755: the local folder's bits, setgid kept
        }
    }

    [Fact]
    public void Prepare_ExistingRootOwnedFolder_GetsTheRequestedOwner_DryRunChangesNothing()
    {
        Requires.Root();
        var folder = Path.Combine(_root, "app");
        Directory.CreateDirectory(folder);

        var dry = _preparer.Prepare(folder, Environment.ProcessId, 1000680000, 0, (UnixFileMode)0x1ED, dryRun: true);
        Assert.Equal(FileOwner.Root, FileOwnership.TryStatDirectory(folder)!.Value.Owner);
        Assert.Equal(new FileOwner(1000680000, 0), dry.Decision.Owner);

        var prepared = _preparer.Prepare(folder, Environment.ProcessId, 1000680000, 0, (UnixFileMode)0x1ED, dryRun: false);

        Assert.Empty(prepared.Created);
        Assert.Equal(new FileOwner(1000680000, 0), FileOwnership.TryStatDirectory(folder)!.Value.Owner);
    }

    [Fact]
    public void Prepare_PathIsAFile_FailedPrecondition()
    {
        var file = Path.Combine(_root, "file");
        File.WriteAllText(file, "x");

        var ex = Assert.Throws<RpcException>(() => _preparer.Prepare(Path.Combine(file, "app"), Environment.ProcessId, null, null, (UnixFileMode)0x1ED, dryRun: false));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("not a directory", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_ProcessGone_FailedPrecondition()
    {
        var ex = Assert.Throws<RpcException>(() => _preparer.Prepare(_root, 0, null, null, (UnixFileMode)0x1ED, dryRun: true));

        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
    }
}
