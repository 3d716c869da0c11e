namespace KSync.E2E.Tests;

/// <summary>The churn suite on the lab's containerd node.</summary>
/// <param name="fixture">The lab.</param>
/// <param name="sync">The containerd node's sync.</param>
[Collection(E2EGroup.Name)]
public sealed class ContainerdChurnTests(E2EFixture fixture, ContainerdChurnSync sync) : ChurnTests(fixture, sync), IClassFixture<ContainerdChurnSync>;
