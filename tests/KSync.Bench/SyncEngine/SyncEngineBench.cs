using System.Diagnostics;
using System.Globalization;
using KSync.Config.Model;
using KSync.Syncthing.Versions;
using KSync.Syncthing.Devices;
using KSync.Syncthing.Scanning;

namespace KSync.Bench.SyncEngine;

/// <summary>
/// <c>sync-engine</c>: two local syncthings managed by the plugin, with the same settings, paired on loopback. Prints
/// save→visible latency of a 1 KB file (a) through ksync's scan trigger (its own detection and debounce included),
/// (b) through syncthing's watcher at its lowest delay, (c) at syncthing's default delay, plus the floor (an explicit
/// scan right after the write), in a small folder and in a 12,000-file folder; a 1,000-file burst; and the initial
/// sync of 10,000 files. Options: <c>--trials N</c> (default 30), <c>--skip-default-delay</c> (leave out the slow
/// 10 s rows while iterating).
/// </summary>
internal sealed partial class SyncEngineBench : IBenchMode
{
    private const int Kilobyte = 1024;

    /// <inheritdoc/>
    public string Name => "sync-engine";

    /// <inheritdoc/>
    public string Description => "syncthing pair on loopback: save->visible latency, burst, initial sync (--trials N, --skip-default-delay)";

    /// <inheritdoc/>
    public async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var trials = 30;
        var skipDefaultDelay = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--trials" && i + 1 < args.Length)
            {
                trials = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--skip-default-delay")
            {
                skipDefaultDelay = true;
            }
        }

        var binary = await SyncthingBinaryResolver.ResolveAsync(KsyncHome.Resolve().BinDirectory, Environment.GetEnvironmentVariable, cancellationToken);
        await output.WriteLineAsync($"sync-engine: syncthing {binary.Version} ({binary.Path}), {Environment.ProcessorCount} cores, {trials} trials per latency row");
        await using var a = await BenchNode.StartAsync(binary, "A", cancellationToken);
        await using var b = await BenchNode.StartAsync(binary, "B", cancellationToken);
        await DevicePairing.PairAsync(a.Endpoint, b.Endpoint, b.Process.ListenAddress, a.Process.ListenAddress, cancellationToken);
        await DevicePairing.WaitConnectedAsync(a.Endpoint, b.Endpoint.DeviceId, TimeSpan.FromSeconds(30), cancellationToken);

        var rows = new List<string[]>();
        var small = await NewFolderAsync(a, b, "small", 100, cancellationToken);
        var large = await NewFolderAsync(a, b, "large", 12_000, cancellationToken);
        await output.WriteLineAsync("folders ready; measuring latency");

        foreach (var folder in new[] { small, large })
        {
            rows.Add(Row($"1 KB save->visible, floor: write + POST /rest/db/scan", folder, await FloorAsync(folder, trials, cancellationToken)));
            rows.Add(Row($"1 KB save->visible, (a) ksync scan trigger ({ScanTrigger.DefaultDebounce.TotalMilliseconds:0} ms debounce)", folder, await WithTriggerAsync(folder, trials, cancellationToken)));
        }

        var lowest = binary.Capabilities.MinimumWatcherDelay;
        foreach (var (label, delay) in new[] { ($"(b) syncthing watcher, lowest delay {lowest.TotalSeconds:0.##} s", lowest), ("(c) syncthing watcher, default delay 10 s", TimeSpan.FromSeconds(10)) })
        {
            if (skipDefaultDelay && delay > lowest)
            {
                continue;
            }

            await output.WriteLineAsync($"measuring {label}");
            await SetWatcherDelayAsync(a, b, [small, large], delay, cancellationToken);
            var both = await Task.WhenAll(SaveToVisibleAsync(small, trials, null, cancellationToken), SaveToVisibleAsync(large, trials, null, cancellationToken));
            rows.Add(Row($"1 KB save->visible, {label}", small, both[0]));
            rows.Add(Row($"1 KB save->visible, {label}", large, both[1]));
        }

        await SetWatcherDelayAsync(a, b, [small, large], lowest, cancellationToken);
        await output.WriteLineAsync("measuring bursts");
        rows.Add(Row("burst 1,000 x 1 KB, new subfolder, (a) ksync scan trigger", small, await BurstAsync(small, useTrigger: true, cancellationToken)));
        rows.Add(Row($"burst 1,000 x 1 KB, new subfolder, (b) watcher {lowest.TotalSeconds:0.##} s", small, await BurstAsync(small, useTrigger: false, cancellationToken)));

        await output.WriteLineAsync("measuring initial sync");
        rows.Add(Row("initial sync 10,000 x 1 KB, ksync set-up (first-sync rule)", null, [await InitialSyncAsync(a, b, ksync: true, cancellationToken)]));
        rows.Add(Row("initial sync 10,000 x 1 KB, raw folder POST (sendonly->receiveonly)", null, [await InitialSyncAsync(a, b, ksync: false, cancellationToken)]));

        await PrintAsync(output, rows);
        return 0;
    }

    private static string[] Row(string scenario, BenchFolder? folder, IReadOnlyList<double> samplesMs)
        => [scenario, folder is null ? "-" : folder.Files.ToString("#,0", CultureInfo.InvariantCulture), samplesMs.Count.ToString(CultureInfo.InvariantCulture),
            Stats.Ms(Stats.Percentile(samplesMs, 50)), Stats.Ms(Stats.Percentile(samplesMs, 95)), Stats.Ms(samplesMs.Min()), Stats.Ms(samplesMs.Max())];

    private static async Task PrintAsync(TextWriter output, List<string[]> rows)
    {
        string[] header = ["scenario", "files", "n", "p50 ms", "p95 ms", "min ms", "max ms"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        await output.WriteLineAsync();
        await output.WriteLineAsync("| " + string.Join(" | ", header.Select((h, i) => i == 0 ? h.PadRight(widths[i]) : h.PadLeft(widths[i]))) + " |");
        await output.WriteLineAsync("|" + string.Join("|", widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
        foreach (var row in rows)
        {
            await output.WriteLineAsync("| " + string.Join(" | ", row.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |");
        }
    }

    private static string Content(int index) => index.ToString("D8", CultureInfo.InvariantCulture) + new string('x', Kilobyte - 8);

    private static async Task<double> WaitVisibleAsync(string path, string content, Stopwatch watch, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == content)
                {
                    return watch.Elapsed.TotalMilliseconds;
                }
            }
            catch (IOException)
            {
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException($"{path} did not appear within 90 s");
            }

            await Task.Delay(2, cancellationToken);
        }
    }
}
