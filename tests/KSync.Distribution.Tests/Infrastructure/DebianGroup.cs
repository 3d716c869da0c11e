namespace KSync.Distribution.Tests.Infrastructure;

/// <summary>Tests that share the private engine and the installed Debian image; they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DebianGroup : ICollectionFixture<DebianFixture>
{
    public const string Name = "debian";
}
