using System.Text.RegularExpressions;
using KSync.Config.Model;
using KSync.Engine.Identity;
using KSync.Engine.Syncing;
using KSync.Syncthing.Client;

namespace KSync.Engine.Tests.Identity;

/// <summary>Folder IDs and the leftover rules, as watch has them today.</summary>
public sealed class FolderIdentitiesTests
{
    private const string Laptop = "LAPTOP-DEVICE";
    private const string OtherLaptop = "OTHER-DEVICE";
    private static readonly SpecDetails Spec = new() { Name = "api" };
    private static readonly RemoteContainer Container = new("api-7d9f", "default", "node-a", "main", "containerd://0123456789abcdef0123", 0, "uid-1");

    private static FolderConfiguration Folder(string? id, params string[] devices)
        => new() { Id = id, Devices = [.. devices.Select(d => new FolderDeviceConfiguration { DeviceId = d })] };

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
    public void NewSetUpId_IsTheBaseIdWithAFreshSuffixEachTime()
    {
        var identities = new FolderIdentities();

        var first = identities.NewSetUpId(Spec, Container);
        var second = identities.NewSetUpId(Spec, Container);

        Assert.Matches(new Regex("^ksync-api-api-7d9f-main-0123456789ab-[a-z]{6}$"), first);
        Assert.Matches(new Regex("^ksync-api-api-7d9f-main-0123456789ab-[a-z]{6}$"), second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void NewSetUpId_TakesTheGivenSuffix()
    {
        var identities = new FolderIdentities(() => "qwerty");

        Assert.Equal("ksync-api-api-7d9f-main-0123456789ab-qwerty", identities.NewSetUpId(Spec, Container));
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
    public void Activate_ActiveUntilDisposed()
    {
        var identities = new FolderIdentities();
        Assert.False(identities.IsActive("ksync-a"));

        var activation = identities.Activate("ksync-a");
        Assert.True(identities.IsActive("ksync-a"));
        Assert.False(identities.IsActive("ksync-b"));

        activation.Dispose();
        Assert.False(identities.IsActive("ksync-a"));
        activation.Dispose();
        Assert.False(identities.IsActive("ksync-a"));
    }

    [Fact]
    public void LeftoversOnNode_OursSharedWithThisMachineAndNotActive()
    {
        var identities = new FolderIdentities();
        using var running = identities.Activate("ksync-running");
        var folders = new[]
        {
            Folder("ksync-old-1", Laptop, "NODE"),
            Folder("ksync-running", Laptop, "NODE"),
            Folder("ksync-someone-else", OtherLaptop, "NODE"),
            Folder("ksync-no-devices"),
            Folder("default", Laptop, "NODE"),
            Folder(null, Laptop),
            Folder("ksync-old-2", "NODE", Laptop),
        };

        Assert.Equal(["ksync-old-1", "ksync-old-2"], identities.LeftoversOnNode(folders, Laptop));
    }

    [Fact]
    public void LeftoversOnNode_FolderStopsRunning_BecomesALeftover()
    {
        var identities = new FolderIdentities();
        var running = identities.Activate("ksync-a");
        var folders = new[] { Folder("ksync-a", Laptop) };
        Assert.Empty(identities.LeftoversOnNode(folders, Laptop));

        running.Dispose();

        Assert.Equal(["ksync-a"], identities.LeftoversOnNode(folders, Laptop));
    }

    [Fact]
    public void LeftoversOnLocal_EveryFolderOfOursNotActive()
    {
        var identities = new FolderIdentities();
        using var running = identities.Activate("ksync-running");
        var folders = new[]
        {
            Folder("ksync-old", Laptop, "NODE"),
            Folder("ksync-running", Laptop, "NODE"),
            Folder("ksync-no-devices"),
            Folder("photos", Laptop),
            Folder(null),
        };

        Assert.Equal(["ksync-old", "ksync-no-devices"], identities.LeftoversOnLocal(folders));
    }
}
