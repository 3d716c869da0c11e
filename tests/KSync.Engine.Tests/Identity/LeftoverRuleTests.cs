using KSync.Config.Model;
using KSync.Engine.Identity;
using KSync.Engine.Syncing;

namespace KSync.Engine.Tests.Identity;

/// <summary>Leftover or waiting to resume (docs/architecture.md, "Leftovers"): only positive knowledge removes.</summary>
public sealed class LeftoverRuleTests
{
    private const string Device = "LAPTOP";

    private static readonly SyncRecord OwnFiles = new()
    {
        FolderId = "ksync-api-pod-main-abc-qwerty",
        Spec = "api",
        Namespace = "default",
        Pod = "api-0",
        PodUid = "uid-1",
        Container = "main",
        ContainerId = "docker://abc",
        Node = "node-a",
        NodePath = "/var/lib/docker/overlay2/x/merged/app",
        OnVolume = false,
        RemotePath = "/app",
        LocalPath = "/src",
        LocalDeviceId = Device,
        RemoteDeviceId = "N",
        SetUpAt = DateTimeOffset.UnixEpoch,
        SyncedAt = DateTimeOffset.UnixEpoch,
    };

    private static readonly SyncRecord OnVolume = OwnFiles with { OnVolume = true, NodePath = "/var/lib/kubelet/pods/uid-1/volumes/kubernetes.io~empty-dir/app" };

    private static readonly Dictionary<string, SpecDetails> Specs = new() { ["api"] = new SpecDetails { Name = "api", LocalPath = "/src", RemotePath = "/app" } };

    private static PodPresence Pod(string uid, string? containerId) => new(uid, containerId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["main"] = containerId });

    [Fact]
    public void PodRunsTheSameContainer_Kept()
    {
        Assert.Null(LeftoverRule.Judge(OwnFiles, Device, Specs, Pod("uid-1", "docker://abc")));
    }

    [Fact]
    public void NothingKnown_Kept()
    {
        // The API did not answer and the specs are not read yet: silence is never a reason.
        Assert.Null(LeftoverRule.Judge(OwnFiles, Device, null, null));
        Assert.Null(LeftoverRule.Judge(OwnFiles, Device, Specs, null));
    }

    [Fact]
    public void PodGone_Leftover()
    {
        Assert.Contains("no longer exists", LeftoverRule.Judge(OwnFiles, Device, Specs, PodPresence.Gone), StringComparison.Ordinal);
        Assert.Contains("no longer exists", LeftoverRule.Judge(OnVolume, Device, Specs, PodPresence.Gone), StringComparison.Ordinal);
    }

    [Fact]
    public void PodRecreatedUnderTheSameName_Leftover()
    {
        Assert.NotNull(LeftoverRule.Judge(OnVolume, Device, Specs, Pod("uid-2", "docker://new")));
    }

    [Fact]
    public void OwnFilesAndTheContainerWasReplaced_Leftover()
    {
        Assert.Contains("own filesystem", LeftoverRule.Judge(OwnFiles, Device, Specs, Pod("uid-1", "docker://new")), StringComparison.Ordinal);
    }

    [Fact]
    public void OnAVolumeAndTheContainerWasReplaced_WaitingToResume()
    {
        Assert.Null(LeftoverRule.Judge(OnVolume, Device, Specs, Pod("uid-1", "docker://new")));
    }

    [Fact]
    public void ContainerNotStartedYet_WaitingToResume()
    {
        Assert.Null(LeftoverRule.Judge(OwnFiles, Device, Specs, Pod("uid-1", null)));
    }

    [Fact]
    public void SpecDeleted_Leftover()
    {
        Assert.Contains("no longer in ksync.yaml", LeftoverRule.Judge(OwnFiles, Device, new Dictionary<string, SpecDetails>(), null), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/elsewhere", "/app")]
    [InlineData("/src", "/srv")]
    public void SpecNowSyncsOtherFolders_Leftover(string localPath, string remotePath)
    {
        var edited = new Dictionary<string, SpecDetails> { ["api"] = new SpecDetails { Name = "api", LocalPath = localPath, RemotePath = remotePath } };

        Assert.Contains("now syncs", LeftoverRule.Judge(OwnFiles, Device, edited, Pod("uid-1", "docker://abc")), StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherLocalSyncthing_Leftover()
    {
        Assert.Contains("another local syncthing", LeftoverRule.Judge(OwnFiles, "NEW-DEVICE", Specs, null), StringComparison.Ordinal);
    }
}
