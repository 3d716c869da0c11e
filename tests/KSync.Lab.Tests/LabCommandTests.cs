using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary><c>ksync-lab up --detach</c> and <c>down</c>, as a shell script uses them for the demo.</summary>
public sealed class LabCommandTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpDetach_PrintsAWorkingKubeconfig_AndDownStopsEverything()
    {
        if (LabFixture.External is not null)
        {
            Assert.Skip("starts its own lab; KSYNC_E2E_KUBECONFIG names a real cluster");
        }

        Requires.Root();
        Requires.Tool("syncthing", "syncthing");
        using var state = new TempDirectory("lab-state");
        var lab = Path.Combine(AppContext.BaseDirectory, "ksync-lab.dll");
        try
        {
            var up = await ProcessRunner.RunAsync("dotnet", [lab, "up", "--detach", "--state", state.Path, "--nodes", "1"], timeout: TimeSpan.FromMinutes(4), cancellationToken: Token);
            Assert.True(up.ExitCode == 0, up.Output);
            var kubeconfig = up.Stdout.Trim();
            Assert.Equal(Path.Combine(state.Path, "kubeconfig"), kubeconfig);
            Assert.True(File.Exists(Path.Combine(state.Path, "lab.pid")));

            using var cache = new TempDirectory("kubectl-cache");
            var nodes = await Kubectl.RunAsync(kubeconfig, cache.Path, "get", "nodes");
            Assert.True(nodes.ExitCode == 0, nodes.Output);
            Assert.Contains("lab-node-1", nodes.Stdout, StringComparison.Ordinal);

            var again = await ProcessRunner.RunAsync("dotnet", [lab, "up", "--detach", "--state", state.Path], cancellationToken: Token);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already runs", again.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            var down = await ProcessRunner.RunAsync("dotnet", [lab, "down", "--state", state.Path], timeout: TimeSpan.FromMinutes(2), cancellationToken: Token);
            Assert.True(down.ExitCode == 0, down.Output);
        }

        Assert.False(File.Exists(Path.Combine(state.Path, "lab.pid")));
        var dockerds = await ProcessRunner.ShellAsync($"ps -eo args | grep -F -- '{state.Path}' | grep -v grep || true", cancellationToken: Token);
        Assert.True(string.IsNullOrWhiteSpace(dockerds.Stdout), "nothing of the lab may keep running:\n" + dockerds.Stdout);
    }
}
