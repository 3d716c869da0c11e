using KSync.TestKit;

namespace KSync.Lab.Tests;

/// <summary>Runs the published kubectl-ksync binary as a process, with a private KSYNC_HOME and HOME.</summary>
internal static class PluginCli
{
    public static async Task<ProcessResult> RunAsync(string home, params string[] args)
    {
        var plugin = await Binaries.PluginAsync(TestContext.Current.CancellationToken);
        return await ProcessRunner.RunAsync(
            plugin,
            args,
            environment: new Dictionary<string, string?> { ["KSYNC_HOME"] = Path.Combine(home, ".ksync"), ["HOME"] = home, ["KUBECONFIG"] = null },
            timeout: TimeSpan.FromMinutes(3),
            cancellationToken: TestContext.Current.CancellationToken);
    }
}
