using KSync.Config.Model;
using KSync.Config.Sources;
using KSync.Config.Store;

namespace KSync.Plugin.Tests.Config;

public sealed class LastGoodConfigTests
{
    private const string Good = "spec:\n- name: api\n  localpath: ../src\n  remotepath: /app\n  selector: [app=api]\n";
    private const string Edited = "spec:\n- name: web\n  localpath: ../web\n  remotepath: /srv\n  selector: [app=web]\n";
    private const string Broken = "spec: [\n";

    private static KsyncConfig Parse(string text) => ConfigYaml.Read(text, "/p/ksync.yaml").Config;

    [Fact]
    public void Offer_GoodThenBroken_KeepsTheLastGoodConfig()
    {
        var file = new LastGoodConfig();
        Assert.Equal(ConfigChange.Changed, file.Offer(Good, Parse).Change);

        var (change, error) = file.Offer(Broken, Parse);

        Assert.Equal(ConfigChange.Broken, change);
        Assert.StartsWith("/p/ksync.yaml:2:", error!.Message, StringComparison.Ordinal);
        Assert.Equal(["api"], file.Config.Spec.Select(s => s.Name));
    }

    [Fact]
    public void Offer_SameBrokenTextAgain_IsReportedOnce()
    {
        var file = new LastGoodConfig();
        file.Offer(Good, Parse);
        file.Offer(Broken, Parse);

        Assert.Equal((ConfigChange.None, null), file.Offer(Broken, Parse));
    }

    [Fact]
    public void Offer_FixedAfterBroken_TakesTheFixedConfig()
    {
        var file = new LastGoodConfig();
        file.Offer(Good, Parse);
        file.Offer(Broken, Parse);

        Assert.Equal(ConfigChange.Changed, file.Offer(Edited, Parse).Change);
        Assert.Equal(["web"], file.Config.Spec.Select(s => s.Name));
    }

    [Fact]
    public void Offer_BrokenFromTheStart_HasNoSpecsAndNoGoodRead()
    {
        var file = new LastGoodConfig();

        Assert.Equal(ConfigChange.Broken, file.Offer(Broken, Parse).Change);
        Assert.False(file.HasGood);
        Assert.Empty(file.Config.Spec);
    }

    [Fact]
    public void Offer_FileGone_IsAnEmptyConfig()
    {
        var file = new LastGoodConfig();
        file.Offer(Good, Parse);

        Assert.Equal(ConfigChange.Changed, file.Offer(null, Parse).Change);
        Assert.Empty(file.Config.Spec);
        Assert.True(file.HasGood);
    }

    [Fact]
    public void Offer_SameTextAgain_IsNoChange()
    {
        var file = new LastGoodConfig();
        file.Offer(Good, Parse);

        Assert.Equal((ConfigChange.None, null), file.Offer(Good, Parse));
    }
}
