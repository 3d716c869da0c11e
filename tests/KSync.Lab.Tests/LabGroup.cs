namespace KSync.Lab.Tests;

/// <summary>Tests that share one lab (see <see cref="LabFixture"/>); they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LabGroup : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}
