using System.Diagnostics;
using System.Globalization;
using System.Text;
using KSync.Proto.Radar.V1;
using KSync.Radar.Tests.Support;
using KSync.TestKit;

namespace KSync.Radar.Tests.Bench;

/// <summary>
/// GetBasePath latency through radar's real gRPC interface (loopback HTTP/2), 1,000 sequential calls per backend:
/// docker (Engine API inspect), containerd (CRI ContainerStatus verbose), proc (Docker with --prefer-proc-root).
/// Prints a table and writes artifacts/bench/radar-getbasepath.txt; asserts only that every call succeeded.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class GetBasePathBenchmark
{
    private const int Calls = 1000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetBasePath_1000CallsPerBackend_PrintsLatencyTable()
    {
        var rows = new List<string>();
        await using (var docker = await DockerEngine.StartAsync(Ct))
        {
            var id = await docker.RunContainerAsync("bench-docker", extraArgs: ["-v", "bench-vol:/data"]);
            await using (var radar = await RadarServer.StartAsync(new RadarOptions { DockerSocket = docker.SocketPath }, Ct))
            {
                rows.Add(await MeasureAsync(radar, Ids.Docker(id), "/app", "docker"));
                rows.Add(await MeasureAsync(radar, Ids.Docker(id), "/data/src", "docker"));
            }

            await using (var radar = await RadarServer.StartAsync(new RadarOptions { DockerSocket = docker.SocketPath, PreferProcRoot = true }, Ct))
            {
                rows.Add(await MeasureAsync(radar, Ids.Docker(id), "/app", "proc"));
            }
        }

        await using (var containerd = await ContainerdEngine.StartAsync(Ct))
        {
            await using var pods = new CriPods(containerd);
            var (id, _) = await pods.RunAsync("bench-pod", cancellationToken: Ct);
            await using var radar = await RadarServer.StartAsync(new RadarOptions { ContainerdSocket = containerd.SocketPath }, Ct);
            rows.Add(await MeasureAsync(radar, Ids.Containerd(id), "/app", "containerd"));
        }

        var table = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"radar GetBasePath latency, {Calls} sequential gRPC calls per row, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}")
            .AppendLine("| backend | remote path | p50 ms | p95 ms | p99 ms | max ms |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            table.AppendLine(row);
        }

        var text = table.ToString();
        TestContext.Current.TestOutputHelper!.WriteLine(text);
        Console.WriteLine(text);
        var file = Path.Combine(Repository.Artifacts, "bench", "radar-getbasepath.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, text, Ct);
    }

    private static async Task<string> MeasureAsync(RadarServer radar, string containerId, string remotePath, string expectedBackend)
    {
        var request = new GetBasePathRequest { ContainerId = containerId, RemotePath = remotePath };
        for (var i = 0; i < 20; i++)
        {
            await radar.Client.GetBasePathAsync(request, cancellationToken: Ct);
        }

        var samples = new double[Calls];
        for (var i = 0; i < Calls; i++)
        {
            var watch = Stopwatch.StartNew();
            var reply = await radar.Client.GetBasePathAsync(request, cancellationToken: Ct);
            samples[i] = watch.Elapsed.TotalMilliseconds;
            Assert.Equal(expectedBackend, reply.Backend);
        }

        Array.Sort(samples);
        double At(double q) => samples[Math.Min(Calls - 1, (int)Math.Ceiling(q * Calls) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"| {expectedBackend} | {remotePath} | {At(0.50):0.00} | {At(0.95):0.00} | {At(0.99):0.00} | {samples[^1]:0.00} |");
    }
}
