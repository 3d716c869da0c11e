using System.Globalization;
using KSync.TestKit;

namespace KSync.E2E.Tests;

/// <summary><c>get</c> during the initial sync of many files shows its progress, and ends at watching / 100 %.</summary>
[Collection(E2EGroup.Name)]
public sealed class ProgressTests(E2EFixture fixture)
{
    private const int FileCount = 3000;

    private readonly LabPods _pods = new(fixture);

    [Fact]
    public async Task Get_DuringInitialSyncOfManyFiles_ShowsProgressThenWatching100()
    {
        fixture.Require();
        var pod = LabPods.Unique("many");
        await _pods.CreateAsync(pod, pod);
        await using var session = new WatchSession(fixture.Lab.KubeconfigPath);
        var local = session.LocalFolder("proj");
        for (var i = 0; i < FileCount; i++)
        {
            var dir = Path.Combine(local, $"d{i / 100:00}");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, $"f{i:0000}.txt"), $"file {i}\n");
        }

        await session.CreateAsync(local, "/app", "-l", $"app={pod}", "--name", "many", "--reload-mode", "none");
        await session.StartWatchAsync();

        // Sample get until the service watches at 100 %; keep every (status, percent) seen.
        var samples = new List<(string Status, double Percent)>();
        await Eventually.TrueAsync(
            async () =>
            {
                session.EnsureRunning();
                var services = await session.ServicesAsync("many");
                if (services is not [var service])
                {
                    return false;
                }

                var sample = (service.GetProperty("status").GetString()!, service.GetProperty("initialSyncPercent").GetDouble());
                samples.Add(sample);
                return sample.Item1 == "watching" && sample.Item2 >= 100;
            },
            TimeSpan.FromSeconds(150),
            $"the initial sync of {FileCount} files to finish",
            TimeSpan.FromMilliseconds(100));
        var seen = string.Join(" ", samples.Select(s => $"{s.Status}:{s.Percent.ToString("0.#", CultureInfo.InvariantCulture)}"));
        TestContext.Current.SendDiagnosticMessage($"initial sync of {FileCount} files, get samples: {seen}");

        Assert.Contains(samples, s => s.Status != "watching" && s.Percent is > 0 and < 100);
        Assert.True(samples.Zip(samples.Skip(1)).All(p => p.Second.Percent >= p.First.Percent || p.First.Status != p.Second.Status), $"progress went backwards: {seen}");
        var files = (await _pods.ExecAsync(pod, "find", "/app", "-type", "f")).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Besides the synced files only syncthing's own ignore file (ksync sets the node's ignores through REST).
        var synced = files.Count(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"^/app/d[0-9]{2}/f[0-9]{4}\.txt$"));
        var others = files.Where(f => f != "/app/.stignore" && !System.Text.RegularExpressions.Regex.IsMatch(f, @"^/app/d[0-9]{2}/f[0-9]{4}\.txt$")).ToList();
        Assert.True(synced == FileCount, $"{synced} of {FileCount} files in the container");
        Assert.True(others.Count == 0, $"files in the container that are not in the local folder: {string.Join(", ", others)}");
    }
}
