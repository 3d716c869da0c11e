namespace KSync.E2E.Tests;

/// <summary>The end-to-end tests share one lab with the node agents installed (see <see cref="E2EFixture"/>); they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class E2EGroup : ICollectionFixture<E2EFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "e2e";
}
