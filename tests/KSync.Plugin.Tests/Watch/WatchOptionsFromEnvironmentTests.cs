using KSync.Plugin.Watch;

namespace KSync.Plugin.Tests.Watch;

/// <summary><c>KSYNC_SEED=off</c> turns the first sync's seed off (docs/architecture.md, "The seed"); anything else keeps it.</summary>
public sealed class WatchOptionsFromEnvironmentTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("OFF", false)]
    public void Seed_OffOnlyWhenTheVariableSaysOff(string? value, bool seed) =>
        Assert.Equal(seed, WatchRunner.OptionsFrom(name => name == "KSYNC_SEED" ? value : null).Seed);
}
