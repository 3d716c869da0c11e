using KSync.Radar.Ownership;

namespace KSync.Radar.Tests.Ownership;

public sealed class OwnerRuleTests
{
    private const UnixFileMode Mode755 = (UnixFileMode)0x1ED;
    private const UnixFileMode Mode777 = (UnixFileMode)0x1FF;
    private const UnixFileMode Mode2777 = (UnixFileMode)0x5FF;
    private const UnixFileMode Mode2775 = (UnixFileMode)0x5FD;

    private static readonly ProcessIdentity Uid1000 = new(1000, 1000, []);
    private static readonly ProcessIdentity Uid1000FsGroup2000 = new(1000, 1000, [2000]);
    private static readonly ProcessIdentity OpenShift = new(1000680000, 0, [0, 1000680000]);
    private static readonly ProcessIdentity Root = new(0, 0, []);

    [Fact]
    public void Decide_FolderOwnedByTheImagesUser_KeepsItsOwner()
    {
        var decision = OwnerRule.Decide(null, null, Dir(1000, 1000, Mode755), Dir(0, 0, Mode755), Uid1000);

        Assert.Equal(new FileOwner(1000, 1000), decision.Owner);
        Assert.Equal("the folder's owner", decision.Why);
    }

    [Fact]
    public void Decide_EmptyDirUnderARandomUidWithGroupZero_TakesTheProcesssUserAndGroup()
    {
        // OpenShift: emptyDir root:root 0777, the app runs as 1000680000:0. The folder's owner (root) would leave every
        // synced file unwritable to the app.
        var decision = OwnerRule.Decide(null, null, Dir(0, 0, Mode777), Dir(0, 0, Mode755), OpenShift);

        Assert.Equal(new FileOwner(1000680000, 0), decision.Owner);
        Assert.True(OwnerRule.CanWrite(OpenShift, decision.Owner, Mode777));
    }

    [Fact]
    public void Decide_FsGroupEmptyDir_TakesTheProcesssUserAndKeepsTheVolumesGroup()
    {
        // fsGroup 2000: the kubelet makes the emptyDir root:2000 with group write and setgid.
        var decision = OwnerRule.Decide(null, null, Dir(0, 2000, Mode2777), Dir(0, 0, Mode755), Uid1000FsGroup2000);

        Assert.Equal(new FileOwner(1000, 2000), decision.Owner);
        Assert.Contains("setgid", decision.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FolderMissingUnderASetgidVolume_KeepsTheVolumesGroup()
    {
        var decision = OwnerRule.Decide(null, null, null, Dir(0, 2000, Mode2775), Uid1000FsGroup2000);

        Assert.Equal(new FileOwner(1000, 2000), decision.Owner);
        Assert.Contains("ksync creates the folder", decision.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FolderMissingInARootOwnedRootFilesystem_TakesTheProcesssUserAndGroup()
    {
        var decision = OwnerRule.Decide(null, null, null, Dir(0, 0, Mode755), Uid1000);

        Assert.Equal(new FileOwner(1000, 1000), decision.Owner);
    }

    [Fact]
    public void Decide_FolderMissingUnderAGroupTheProcessIsIn_TakesThatGroup()
    {
        var decision = OwnerRule.Decide(null, null, null, Dir(0, 2000, Mode755), Uid1000FsGroup2000);

        Assert.Equal(new FileOwner(1000, 2000), decision.Owner);
    }

    [Fact]
    public void Decide_FolderMissingUnderAGroupTheProcessIsNotIn_TakesTheProcesssGroup()
    {
        var decision = OwnerRule.Decide(null, null, null, Dir(0, 50, Mode755), Uid1000);

        Assert.Equal(new FileOwner(1000, 1000), decision.Owner);
    }

    [Fact]
    public void Decide_RootApp_RootFolder_StaysRoot()
    {
        var decision = OwnerRule.Decide(null, null, Dir(0, 0, Mode755), Dir(0, 0, Mode755), Root);

        Assert.Equal(FileOwner.Root, decision.Owner);
    }

    [Fact]
    public void Decide_RequestedUserAndGroup_Win()
    {
        var decision = OwnerRule.Decide(501, 20, Dir(1000, 1000, Mode755), Dir(0, 0, Mode755), Uid1000);

        Assert.Equal(new FileOwner(501, 20), decision.Owner);
        Assert.Equal("--owner", decision.Why);
    }

    [Fact]
    public void Decide_RequestedUserOnly_GroupFollowsTheRule()
    {
        var decision = OwnerRule.Decide(501, null, Dir(0, 2000, Mode2777), Dir(0, 0, Mode755), Uid1000FsGroup2000);

        Assert.Equal(new FileOwner(501, 2000), decision.Owner);
    }

    [Theory]
    [InlineData(1000u, 1000u, 0x1C0, true)] // 0700, owner
    [InlineData(1000u, 1000u, 0x140, false)] // 0500, owner without write: group and other bits do not help the owner
    [InlineData(0u, 2000u, 0x1F8, true)] // 0770, in the group through fsGroup
    [InlineData(0u, 0u, 0x1ED, false)] // 0755 root:root
    [InlineData(0u, 0u, 0x1FF, true)] // 0777 (emptyDir)
    [InlineData(0u, 0u, 0x1FE, false)] // 0776: other may write but not search
    public void CanWrite_FollowsTheKernelsClassOrder(uint uid, uint gid, int mode, bool expected)
    {
        Assert.Equal(expected, OwnerRule.CanWrite(Uid1000FsGroup2000, new FileOwner(uid, gid), (UnixFileMode)mode));
    }

    [Fact]
    public void CanWrite_Root_Always()
    {
        Assert.True(OwnerRule.CanWrite(Root, new FileOwner(1000, 1000), 0));
    }

    [Fact]
    public void ProcessIdentity_Parse_ReadsEffectiveIdsAndGroups()
    {
        const string status = "Name:\tnode\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t1001\t1000\t1000\nGid:\t0\t0\t0\t0\nGroups:\t0 2000 \nNgid:\t0\n";

        var identity = ProcessIdentity.Parse(status);

        Assert.Equal(1001u, identity.Uid);
        Assert.Equal(0u, identity.Gid);
        Assert.Equal([0u, 2000u], identity.Groups);
        Assert.True(identity.InGroup(2000));
        Assert.False(identity.InGroup(3000));
    }

    [Theory]
    [InlineData("Name:\tx\nGid:\t0\t0\t0\t0\n")]
    [InlineData("Uid:\tx\ty\nGid:\t0\t0\n")]
    [InlineData("Uid:\t1\t1\t1\t1\nGid:\t0\t0\t0\t0\nGroups:\t-1\n")]
    public void ProcessIdentity_Parse_Malformed_Throws(string status)
    {
        Assert.Throws<FormatException>(() => ProcessIdentity.Parse(status));
    }

    private static DirectoryFacts Dir(uint uid, uint gid, UnixFileMode mode) => new(new FileOwner(uid, gid), mode);
}
