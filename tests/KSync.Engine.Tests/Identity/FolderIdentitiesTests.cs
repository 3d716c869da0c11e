using System.Text.RegularExpressions;
using KSync.Config.Model;
using KSync.Engine.Identity;
using KSync.Engine.Syncing;
using KSync.Syncthing.Client;
using KSync.Syncthing.Folders;
using KSync.TestKit;

namespace KSync.Engine.Tests.Identity;

/// <summary>Folder IDs, claims, the state file's records and the folders a syncthing holds that no record knows.</summary>
public sealed class FolderIdentitiesTests : IDisposable
{
    private const string Laptop = "LAPTOP-DEVICE";
    private const string OtherLaptop = "OTHER-DEVICE";
    private static readonly SpecDetails Spec = new() { Name = "api" };
    private static readonly RemoteContainer Container = new("api-7d9f", "default", "node-a", "main", "containerd://0123456789abcdef0123", 0, "uid-1");
    private static readonly SyncKey KeyA = new("api", Laptop, "/src", "node-a", "/var/lib/kubelet/pods/uid-1/volumes/kubernetes.io~empty-dir/app", string.Empty);
    private static readonly SyncKey KeyB = KeyA with { NodePath = "/var/lib/docker/overlay2/abc/merged/app", ContainerId = "docker://abc" };
    private readonly TempDirectory _home = new("ksync-identities");

    public void Dispose() => _home.Dispose();

    private static FolderConfiguration Folder(string? id, params string[] devices)
        => new() { Id = id, Devices = [.. devices.Select(d => new FolderDeviceConfiguration { DeviceId = d })] };

    private static SyncRecord Record(string folderId, SyncKey key, DateTimeOffset? syncedAt = null) => new()
    {
        FolderId = folderId,
        Spec = key.Spec,
        Namespace = "default",
        Pod = "api-7d9f",
        PodUid = "uid-1",
        Container = "main",
        ContainerId = key.ContainerId.Length > 0 ? key.ContainerId : "docker://volume-case",
        Node = key.Node,
        NodePath = key.NodePath,
        OnVolume = key.ContainerId.Length == 0,
        RemotePath = "/app",
        LocalPath = key.LocalPath,
        LocalDeviceId = key.LocalDeviceId,
        RemoteDeviceId = "NODE-DEVICE",
        Direction = SyncDirection.TwoWay,
        SetUpAt = DateTimeOffset.UnixEpoch,
        SyncedAt = syncedAt,
    };

    [Fact]
    public void BaseIdFor_NamesSpecPodContainerAndTwelveCharactersOfTheRuntimeId()
    {
        Assert.Equal("ksync-api-api-7d9f-main-0123456789ab", FolderIdentities.BaseIdFor(Spec, Container));
    }

    [Fact]
    public void BaseIdFor_ShortRuntimeId_TakesItWhole()
    {
        Assert.Equal("ksync-api-api-7d9f-main-abc", FolderIdentities.BaseIdFor(Spec, Container with { ContainerId = "docker://abc" }));
    }

    [Fact]
    public void NewFolderId_IsTheBaseIdWithAFreshSuffixEachTime()
    {
        var identities = new FolderIdentities();

        var first = identities.NewFolderId(Spec, Container);
        var second = identities.NewFolderId(Spec, Container);

        Assert.Matches(new Regex("^ksync-api-api-7d9f-main-0123456789ab-[a-z]{6}$"), first);
        Assert.Matches(new Regex("^ksync-api-api-7d9f-main-0123456789ab-[a-z]{6}$"), second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void NewFolderId_TakesTheGivenSuffix()
    {
        var identities = new FolderIdentities(newSuffix: () => "qwerty");

        Assert.Equal("ksync-api-api-7d9f-main-0123456789ab-qwerty", identities.NewFolderId(Spec, Container));
    }

    [Theory]
    [InlineData("ksync-api-pod-main-abc-qwerty", true)]
    [InlineData("ksync-", true)]
    [InlineData("default", false)]
    [InlineData("KSYNC-api", false)]
    [InlineData("my-ksync-folder", false)]
    [InlineData(null, false)]
    public void IsOurs_ByThePrefix(string? folderId, bool ours)
    {
        Assert.Equal(ours, FolderIdentities.IsOurs(folderId));
    }

    [Fact]
    public void Key_OnAVolume_IgnoresTheContainerId_InTheContainersOwnFilesystem_IncludesIt()
    {
        var onVolume = Record("ksync-a", KeyA);
        var ownFiles = Record("ksync-b", KeyB);

        Assert.Equal(KeyA, onVolume.Key);
        Assert.Equal(KeyA, (onVolume with { ContainerId = "docker://restarted", Pod = "api-new", PodUid = "uid-2" }).Key);
        Assert.Equal(KeyB, ownFiles.Key);
        Assert.NotEqual(KeyB, (ownFiles with { ContainerId = "docker://new-container" }).Key);
    }

    [Fact]
    public void Claim_NoRecord_FindsNothing_RecordWritesTheStateFileAtOnce()
    {
        var file = new StateFile(_home.Combine("state.json"));
        var identities = new FolderIdentities(file);

        using var claim = identities.Claim(KeyA);
        Assert.Null(claim.Found);
        claim.Record(Record("ksync-a", KeyA));

        Assert.Equal(["ksync-a"], file.Load().Select(r => r.FolderId));
        Assert.True(identities.IsKnown("ksync-a"));
        Assert.True(identities.IsActive("ksync-a"));
    }

    [Fact]
    public void Claim_AfterARestartOfWatch_FindsTheRecordOfTheSameIdentity()
    {
        var path = _home.Combine("state.json");
        var before = new FolderIdentities(new StateFile(path));
        using (var claim = before.Claim(KeyA))
        {
            claim.Record(Record("ksync-a", KeyA));
            claim.MarkSynced(DateTimeOffset.UnixEpoch.AddDays(1));
        }

        var after = new FolderIdentities(new StateFile(path));
        after.Load();
        using var again = after.Claim(KeyA);
        using var other = after.Claim(KeyB);

        Assert.Equal("ksync-a", again.Found?.FolderId);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), again.Found?.SyncedAt);
        Assert.Null(other.Found);
    }

    [Fact]
    public void Claim_SameIdentityTwice_TheSecondFailsUntilTheFirstIsReleased()
    {
        var identities = new FolderIdentities();
        var first = identities.Claim(KeyA);

        var ex = Assert.Throws<SyncEngineException>(() => identities.Claim(KeyA));
        Assert.Contains(KeyA.NodePath, ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Hint);

        first.Dispose();
        using var second = identities.Claim(KeyA);
        Assert.NotNull(second);
    }

    [Fact]
    public void Record_NewFolderIdForTheSameIdentity_ReplacesTheOldRecord()
    {
        var identities = new FolderIdentities(new StateFile(_home.Combine("state.json")));
        using (var claim = identities.Claim(KeyA))
        {
            claim.Record(Record("ksync-old", KeyA));
        }

        using var again = identities.Claim(KeyA);
        again.Record(Record("ksync-new", KeyA));

        Assert.Equal(["ksync-new"], identities.Records.Select(r => r.FolderId));
        Assert.False(identities.IsKnown("ksync-old"));
    }

    [Fact]
    public void Record_OfAnotherIdentity_IsRefused()
    {
        var identities = new FolderIdentities();
        using var claim = identities.Claim(KeyA);

        Assert.Throws<ArgumentException>(() => claim.Record(Record("ksync-b", KeyB)));
        Assert.Empty(identities.Records);
    }

    [Fact]
    public void Forget_KeepsWhatARunningFolderClaims()
    {
        var file = new StateFile(_home.Combine("state.json"));
        var identities = new FolderIdentities(file);
        using (var stopped = identities.Claim(KeyA))
        {
            stopped.Record(Record("ksync-a", KeyA));
        }

        using var running = identities.Claim(KeyB);
        running.Record(Record("ksync-b", KeyB));

        var forgotten = identities.Forget(["ksync-a", "ksync-b"]);

        Assert.Equal(["ksync-a"], forgotten.Select(r => r.FolderId));
        Assert.Equal(["ksync-b"], file.Load().Select(r => r.FolderId));
    }

    [Fact]
    public void LeftoversOnNode_OursSharedWithThisMachineAndUnknownToTheState()
    {
        var identities = new FolderIdentities();
        using (var waiting = identities.Claim(KeyA))
        {
            // Stopped, waiting to resume: known, so kept.
            waiting.Record(Record("ksync-waiting", KeyA));
        }

        var folders = new[]
        {
            Folder("ksync-old-1", Laptop, "NODE"),
            Folder("ksync-waiting", Laptop, "NODE"),
            Folder("ksync-someone-else", OtherLaptop, "NODE"),
            Folder("ksync-no-devices"),
            Folder("default", Laptop, "NODE"),
            Folder(null, Laptop),
            Folder("ksync-old-2", "NODE", Laptop),
        };

        Assert.Equal(["ksync-old-1", "ksync-old-2"], identities.LeftoversOnNode(folders, Laptop));
    }

    [Fact]
    public void LeftoversOnLocal_EveryFolderOfOursUnknownToTheState()
    {
        var identities = new FolderIdentities();
        using (var waiting = identities.Claim(KeyA))
        {
            waiting.Record(Record("ksync-waiting", KeyA));
        }

        var folders = new[]
        {
            Folder("ksync-old", Laptop, "NODE"),
            Folder("ksync-waiting", Laptop, "NODE"),
            Folder("ksync-no-devices"),
            Folder("photos", Laptop),
            Folder(null),
        };

        Assert.Equal(["ksync-old", "ksync-no-devices"], identities.LeftoversOnLocal(folders));
    }

    [Fact]
    public void LeftoversOnLocal_AfterForget_TheFolderIsALeftover()
    {
        var identities = new FolderIdentities();
        using (var claim = identities.Claim(KeyA))
        {
            claim.Record(Record("ksync-a", KeyA));
        }

        Assert.Empty(identities.LeftoversOnLocal([Folder("ksync-a", Laptop)]));
        identities.Forget(["ksync-a"]);

        Assert.Equal(["ksync-a"], identities.LeftoversOnLocal([Folder("ksync-a", Laptop)]));
    }
}
