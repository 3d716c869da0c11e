namespace KSync.Radar.Tests.Support;

[CollectionDefinition("containerd")]
public sealed class ContainerdGroup : ICollectionFixture<ContainerdFixture>;
