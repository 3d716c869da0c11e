using KSync.Engine.Identity;
using KSync.Syncthing.Folders;
using KSync.TestKit;

namespace KSync.Engine.Tests.Identity;

/// <summary>The state file: round trip, a missing file, a file that does not parse, atomic replacement.</summary>
public sealed class StateFileTests : IDisposable
{
    private readonly TempDirectory _home = new("ksync-state");

    public void Dispose() => _home.Dispose();

    private static SyncRecord Record(string id) => new()
    {
        FolderId = id,
        Spec = "api",
        Namespace = "dev",
        Pod = "api-0",
        PodUid = "uid-1",
        Container = "main",
        ContainerId = "containerd://abc",
        Node = "node-a",
        NodePath = "/run/containerd/x/rootfs/app",
        OnVolume = false,
        RemotePath = "/app",
        LocalPath = "/home/dev/src",
        LocalDeviceId = "LOCAL",
        RemoteDeviceId = "NODE",
        Direction = SyncDirection.RemoteReadOnly,
        SetUpAt = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero),
        SyncedAt = new DateTimeOffset(2026, 11, 30, 8, 1, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Load_NoFile_NoRecords()
    {
        Assert.Empty(new StateFile(_home.Combine("state.json")).Load());
    }

    [Fact]
    public void SaveThenLoad_EveryFieldRoundTrips()
    {
        var file = new StateFile(_home.Combine("state.json"));
        var unfinished = Record("ksync-b") with { SyncedAt = null, OnVolume = true };

        file.Save([Record("ksync-a"), unfinished]);

        Assert.Equal([Record("ksync-a"), unfinished], file.Load());
        var text = File.ReadAllText(file.Path);
        Assert.Contains("\"direction\": \"RemoteReadOnly\"", text, StringComparison.Ordinal);
        Assert.Contains("\"version\": 1", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_home.Path, "state.json.tmp-*"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        }
    }

    [Theory]
    [InlineData("{ \"version\": 1, \"syncs\": [ { \"folderId\": ", "does not parse")]
    [InlineData("null", "is empty")]
    [InlineData("{ \"version\": 99, \"syncs\": [] }", "format version 99")]
    public void Load_BadFile_SaysWhatAndHowToFix_AndLeavesItAlone(string content, string what)
    {
        var path = _home.WriteFile("state.json", content);

        var ex = Assert.Throws<SyncEngineException>(() => new StateFile(path).Load());

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Move it away", ex.Hint, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(path));
    }
}
