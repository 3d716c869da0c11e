using System.Diagnostics;
using KSync.Syncthing.Client;
using KSync.Syncthing.Folders;
using KSync.Syncthing.Scanning;

namespace KSync.Bench.SyncEngine;

/// <summary>The measured scenarios.</summary>
internal sealed partial class SyncEngineBench
{
    private static readonly Random s_random = new(20261130);

    private static async Task<BenchFolder> NewFolderAsync(BenchNode a, BenchNode b, string id, int files, CancellationToken cancellationToken)
    {
        var local = a.DataPath(id);
        for (var i = 0; i < files; i++)
        {
            var dir = Path.Combine(local, $"d{i / 100:000}");
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, $"f{i % 100:000}.txt"), Content(i), cancellationToken);
        }

        var spec = new SharedFolderSpec { FolderId = id, LocalPath = local, RemotePath = b.DataPath(id), FastPath = false };
        var folder = new SharedFolder(spec, a.Endpoint, b.Endpoint);
        await folder.SetUpAsync(SetUpMode.FirstSync, cancellationToken);
        await folder.WaitUntilInSyncAsync(TimeSpan.FromMinutes(5), cancellationToken);
        return new BenchFolder(folder, a, files);
    }

    private static async Task SetWatcherDelayAsync(BenchNode a, BenchNode b, BenchFolder[] folders, TimeSpan delay, CancellationToken cancellationToken)
    {
        foreach (var folder in folders)
        {
            foreach (var node in new[] { a, b })
            {
                var patch = new FolderConfiguration { FsWatcherDelayS = node.Endpoint.Capabilities.WatcherDelaySeconds(delay) };
                await node.Client.PatchFolderAsync(folder.Id, patch, cancellationToken);
            }

            await folder.Folder.WaitUntilInSyncAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }
    }

    /// <summary>
    /// Save→visible for <paramref name="trials"/> new 1 KB files, with random gaps of 300–1,000 ms (like saves in an
    /// editor; below about 250 ms syncthing's index sender still sleeps after the previous change: docs/architecture.md, "syncthing facts": index sender).
    /// </summary>
    private static async Task<IReadOnlyList<double>> SaveToVisibleAsync(BenchFolder folder, int trials, Func<string, Task>? afterWrite, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        for (var t = 0; t < trials; t++)
        {
            await Task.Delay(s_random.Next(300, 1000), cancellationToken);
            var index = folder.NextIndex();
            var name = $"lat-{index:00000}.txt";
            var content = Content(index);
            var watch = Stopwatch.StartNew();
            await File.WriteAllTextAsync(Path.Combine(folder.LocalPath, name), content, cancellationToken);
            if (afterWrite is not null)
            {
                await afterWrite(name);
            }

            samples.Add(await WaitVisibleAsync(Path.Combine(folder.RemotePath, name), content, watch, cancellationToken));
        }

        return samples;
    }

    private static Task<IReadOnlyList<double>> FloorAsync(BenchFolder folder, int trials, CancellationToken cancellationToken)
        => SaveToVisibleAsync(folder, trials, name => folder.Local.Client.ScanAsync(folder.Id, [name], cancellationToken), cancellationToken);

    private static async Task<IReadOnlyList<double>> WithTriggerAsync(BenchFolder folder, int trials, CancellationToken cancellationToken)
    {
        await using var trigger = NewTrigger(folder);
        trigger.Start();
        return await SaveToVisibleAsync(folder, trials, null, cancellationToken);
    }

    private static ScanTrigger NewTrigger(BenchFolder folder)
        => new(folder.LocalPath, (subs, token) => folder.Local.Client.ScanAsync(folder.Id, subs, token));

    /// <summary>Writes 1,000 files of 1 KB into a new subfolder; time until all are on the other side (3 runs).</summary>
    private static async Task<IReadOnlyList<double>> BurstAsync(BenchFolder folder, bool useTrigger, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        await using var trigger = useTrigger ? NewTrigger(folder) : null;
        trigger?.Start();
        for (var run = 0; run < 3; run++)
        {
            await Task.Delay(2500, cancellationToken);
            var sub = $"burst-{(useTrigger ? "a" : "b")}-{run}";
            var watch = Stopwatch.StartNew();
            var dir = Path.Combine(folder.LocalPath, sub);
            Directory.CreateDirectory(dir);
            for (var i = 0; i < 1000; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(dir, $"f{i:0000}.txt"), Content(i), cancellationToken);
            }

            var remote = Path.Combine(folder.RemotePath, sub);
            while (!(Directory.Exists(remote) && Directory.EnumerateFiles(remote, "f*.txt").Count() == 1000))
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException("burst did not arrive within 2 minutes");
                }

                await Task.Delay(50, cancellationToken);
            }

            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return samples;
    }

    /// <summary>10,000 files of 1 KB in 100 folders: time from configuring the folder until all are on the other side.</summary>
    private static async Task<double> InitialSyncAsync(BenchNode a, BenchNode b, bool ksync, CancellationToken cancellationToken)
    {
        var id = ksync ? "initial-ksync" : "initial-raw";
        var local = a.DataPath(id);
        for (var i = 0; i < 10_000; i++)
        {
            var dir = Path.Combine(local, $"d{i / 100:000}");
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, $"f{i % 100:000}.txt"), Content(i), cancellationToken);
        }

        var remote = b.DataPath(id);
        var watch = Stopwatch.StartNew();
        if (ksync)
        {
            var folder = new SharedFolder(new SharedFolderSpec { FolderId = id, LocalPath = local, RemotePath = remote }, a.Endpoint, b.Endpoint);
            await folder.SetUpAsync(SetUpMode.FirstSync, cancellationToken);
            await folder.DisposeAsync();
        }
        else
        {
            FolderConfiguration Config(string path, string type) => new()
            {
                Id = id,
                Path = path,
                Type = type,
                Devices = [new() { DeviceId = a.Endpoint.DeviceId }, new() { DeviceId = b.Endpoint.DeviceId }],
                FsWatcherDelayS = a.Endpoint.Capabilities.WatcherDelaySeconds(a.Endpoint.Capabilities.MinimumWatcherDelay),
            };
            await a.Client.AddFolderAsync(Config(local, FolderType.SendOnly), cancellationToken);
            await b.Client.AddFolderAsync(Config(remote, FolderType.ReceiveOnly), cancellationToken);
        }

        while (Directory.EnumerateFiles(remote, "f*.txt", SearchOption.AllDirectories).Count() < 10_000)
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("initial sync did not finish within 5 minutes");
            }

            await Task.Delay(250, cancellationToken);
        }

        return watch.Elapsed.TotalMilliseconds;
    }
}
