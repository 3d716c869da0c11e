using System.Diagnostics;
using System.Globalization;
using System.Text;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary>
/// Benchmark, figures only (no timed asserts): save→visible-in-container latency through the whole system (local
/// file → local syncthing → tunnel → node syncthing → container path), p50/p95 over 40 trials, plus the wall time of
/// <c>get</c> and <c>version</c>, and watch's own save→visible measure of the same saves next to this test's (its
/// only asserts: every save measured, of the same order). Printed as diagnostic messages and written to
/// <c>artifacts/bench/e2e.txt</c>.
/// </summary>
[Collection(E2EGroup.Name)]
public sealed class LatencyBench(E2EFixture fixture)
{
    private const int Trials = 30;

    private readonly LabPods _pods = new(fixture);

    [Fact]
    public async Task Bench_SaveToVisibleInContainer_PrintsLatency()
    {
        fixture.Require();
        var pod = LabPods.Unique("bench");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        File.WriteAllText(Path.Combine(local, "warmup.txt"), "warmup");
        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "bench", "--reload-mode", "none");
        await session.StartWatchAsync();
        await session.WaitWatchingAsync("bench");
        await _pods.WaitFileAsync(pod, "/app/warmup.txt", "warmup", "the warm-up file");

        // The container's root filesystem through its main process (/proc/PID/root works across the node's mount
        // namespace), so polling costs microseconds, not an exec.
        var pid = await fixture.Lab.Engine.CliOkAsync("inspect", "-f", "{{.State.Pid}}", await _pods.ContainerIdAsync(pod));
        var merged = $"/proc/{pid}/root";
        var direct = File.Exists(Path.Combine(merged, "app", "warmup.txt"));
        var latencies = new List<double>();
        for (var i = 0; i < Trials; i++)
        {
            var content = $"trial {i} {Guid.NewGuid():N}";
            var name = $"t{i % 5}.txt";
            var clock = Stopwatch.StartNew();
            File.WriteAllText(Path.Combine(local, name), content);
            if (direct)
            {
                var target = Path.Combine(merged, "app", name);
                await Eventually.TrueAsync(() => Task.FromResult(ReadOrNull(target) == content), TimeSpan.FromSeconds(30), $"trial {i} to arrive", TimeSpan.FromMilliseconds(2));
            }
            else
            {
                await Eventually.TrueAsync(async () => await _pods.ReadAsync(pod, "/app/" + name) == content, TimeSpan.FromSeconds(30), $"trial {i} to arrive", TimeSpan.FromMilliseconds(10));
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);

            // A developer's saves are seconds apart. Saved back to back, each change waits ~250 ms (measured here on
            // syncthing 1.19) because syncthing batches the index updates it sends; that is not what a save costs.
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        }

        // watch's own measure of the same saves (docs/architecture.md, "Save→visible latency"), from get -o json.
        var own = await OwnMeasureAsync(session);

        var getMs = await TimeAsync(() => session.Runner.RunAsync("get", "-o", "json", "--port", session.Port.ToString(CultureInfo.InvariantCulture)));
        var versionMs = await TimeAsync(() => session.Runner.RunAsync("version"));

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"e2e bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z, {Environment.ProcessorCount} cores, lab cluster (private dockerd), syncthing {Requires.Which("syncthing")}")
            .AppendLine(CultureInfo.InvariantCulture, $"save->visible in container ({Trials} trials, polled {(direct ? "via the container's merged rootfs every 2 ms" : "with docker exec")}): p50 {Percentile(latencies, 50):0} ms, p95 {Percentile(latencies, 95):0} ms, min {latencies.Min():0} ms, max {latencies.Max():0} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"samples ms: {string.Join(' ', latencies.Select(l => l.ToString("0", CultureInfo.InvariantCulture)))}")
            .AppendLine(CultureInfo.InvariantCulture, $"save->visible as watch measures it (get -o json, {own.Samples} changes): p50 {own.P50:0} ms, p95 {own.P95:0} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"get -o json wall time (median of 5): {getMs:0} ms")
            .AppendLine(CultureInfo.InvariantCulture, $"version wall time (median of 5): {versionMs:0} ms")
            .ToString();
        TestContext.Current.SendDiagnosticMessage(report);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);
        var dir = Path.Combine(Repository.Artifacts, "bench");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "e2e.txt"), report, TestContext.Current.CancellationToken);
        Assert.Equal(Trials, latencies.Count);

        // The trials' saves were measured (one may be missed when the node's event overtakes the local scan's), none
        // twice, and the figures are of the same order as what this test saw from outside: watch starts a little after
        // the write (its watcher's event) and ends a little after the file is in place (the node's event through the
        // tunnel).
        Assert.InRange(own.Samples, Trials - 3, Trials);
        Assert.InRange(own.P50, Math.Max(0, latencies.Min() - 20), latencies.Max() + 500);
        Assert.InRange(own.P95, own.P50, latencies.Max() + 500);
    }

    private static async Task<(int Samples, double P50, double P95)> OwnMeasureAsync(WatchSession session)
    {
        var get = await session.Runner.RunAsync("get", "bench", "-o", "json", "--port", session.Port.ToString(CultureInfo.InvariantCulture));
        Assert.True(get.ExitCode == 0, get.Output);
        using var json = System.Text.Json.JsonDocument.Parse(get.Stdout);
        var service = json.RootElement.GetProperty("items")[0].GetProperty("services")[0];
        var samples = service.GetProperty("saveToVisibleSamples").GetInt32();
        Assert.True(samples > 0, "watch measured no save->visible latency:\n" + get.Stdout);
        return (samples, service.GetProperty("saveToVisibleP50Ms").GetDouble(), service.GetProperty("saveToVisibleP95Ms").GetDouble());
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private static async Task<double> TimeAsync(Func<Task<ProcessResult>> run)
    {
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var result = await run();
            Assert.True(result.ExitCode == 0, result.Output);
            times.Add(result.Elapsed.TotalMilliseconds);
        }

        return Percentile(times, 50);
    }
}
