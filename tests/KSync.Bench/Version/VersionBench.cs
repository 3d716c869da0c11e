using System.Diagnostics;
using System.Globalization;
using KSync.TestKit;

namespace KSync.Bench.Version;

/// <summary>
/// <c>version</c>: wall time of the published plugin's <c>version</c> (process start to exit, output read), N runs
/// after one warm-up run that fills the syncthing version cache, with a private <c>KSYNC_HOME</c> and no kubeconfig
/// (so radar's version is "unknown" at once, as on a machine without a cluster). Floors, same run and same way of
/// starting: <c>/bin/true</c> (process start alone) and <c>kubectl-ksync --help</c> (the binary's start-up); and
/// <c>syncthing --version</c>, what each call cost before the cache.
/// </summary>
internal sealed class VersionBench : IBenchMode
{
    /// <inheritdoc/>
    public string Name => "version";

    /// <inheritdoc/>
    public string Description => "kubectl-ksync version wall time p50/p95 next to /bin/true and --help (--runs N)";

    /// <inheritdoc/>
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var runs = args is ["--runs", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 50;
        var plugin = await Binaries.PluginAsync(cancellationToken);
        using var root = new TempDirectory("ksync-bench-version");
        var home = root.Combine("home");
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["KSYNC_HOME"] = home,
            ["HOME"] = home,
            ["KUBECONFIG"] = root.Combine("no-kubeconfig"),
        };

        // Fills the cache, so the runs measure what every later call of a user costs.
        var first = await ProcessRunner.RunAsync(plugin, ["version"], environment, root.Path, cancellationToken: cancellationToken);
        first.EnsureSuccess();
        var syncthingLine = first.Stdout.Split('\n').FirstOrDefault(l => l.StartsWith("Syncthing:", StringComparison.Ordinal)) ?? "Syncthing: ?";
        output.WriteLine($"version bench: {runs} runs each, {syncthingLine.Trim()}");

        var rows = new List<(string Name, List<double> Samples)>
        {
            ("/bin/true (floor: process start)", await TimeAsync("/bin/true", [], environment, root.Path, runs, cancellationToken)),
            ("kubectl-ksync --help (floor)", await TimeAsync(plugin, ["--help"], environment, root.Path, runs, cancellationToken)),
            ("kubectl-ksync version", await TimeAsync(plugin, ["version"], environment, root.Path, runs, cancellationToken)),
        };
        if (syncthingLine.Split('(', ')') is [_, var path, ..] && File.Exists(path))
        {
            rows.Add(("syncthing --version (uncached cost)", await TimeAsync(path, ["--version"], environment, root.Path, runs, cancellationToken)));
        }

        output.WriteLine($"{"command",-38} {"p50 ms",8} {"p95 ms",8}");
        foreach (var (name, samples) in rows)
        {
            output.WriteLine($"{name,-38} {Stats.Ms(Stats.Percentile(samples, 50)),8} {Stats.Ms(Stats.Percentile(samples, 95)),8}");
        }

        return 0;
    }

    private static async Task<List<double>> TimeAsync(string file, string[] args, Dictionary<string, string?> environment, string directory, int runs, CancellationToken cancellationToken)
    {
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var result = await ProcessRunner.RunAsync(file, args, environment, directory, cancellationToken: cancellationToken);
            samples.Add(watch.Elapsed.TotalMilliseconds);
            result.EnsureSuccess();
        }

        return samples;
    }
}
