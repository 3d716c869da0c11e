namespace KSync.Radar.Tests.Support;

[CollectionDefinition("docker")]
public sealed class DockerGroup : ICollectionFixture<DockerFixture>;
