using KSync.TestKit;

namespace KSync.Plugin.Tests.Fixtures;

public sealed class DockerEngineTests
{
    [Fact]
    public async Task StartAsync_RunsBusyboxContainer_AndCleansUp()
    {
        string root;
        await using (var engine = await DockerEngine.StartAsync(TestContext.Current.CancellationToken))
        {
            root = engine.RootDirectory;
            var id = await engine.RunContainerAsync("probe");
            var echoed = await engine.CliOkAsync("exec", id, "sh", "-c", "echo hello > /tmp/x && cat /tmp/x");
            Assert.Equal("hello", echoed);
            var merged = await engine.CliOkAsync("inspect", "-f", "{{.GraphDriver.Data.MergedDir}}", id);
            Assert.True(File.Exists(Path.Combine(merged, "tmp/x")), "the host sees the container's file under MergedDir");
        }

        Assert.False(Directory.Exists(root));
    }
}
